using System.Text;
using k8s;
using Mta.Operator.Rendering;
using Mta.Operator.Tests.Crd;

namespace Mta.Operator.Tests.Render;

/// <summary>
/// The rendered objects of the examples, compared byte for byte with tests/Mta.Operator.Tests/golden/*.yaml.
/// Run with UPDATE_GOLDEN=1 to rewrite them after an intended change, then review the diff.
/// </summary>
public class RenderGoldenTests
{
    public static TheoryData<string, string, string> Cases() => new()
    {
        { "minimal.yaml", "minimal", "minimal" },
        { "full.yaml", "everything", "full" },
        { "full.yaml", "minimal", "full-on-bare-cluster" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void RenderingMatchesGoldenFile(string example, string context, string golden)
    {
        var ctx = context == "everything" ? RenderFixtures.Everything : RenderContext.Minimal;
        var result = MailServerRenderer.Render(RenderFixtures.Example(example), ctx);
        Assert.True(result.ConfigValid, result.ConfigError);

        var text = new StringBuilder()
            .Append("# Rendered from deploy/examples/").Append(example).Append(" with the ").Append(context).Append(" render context.\n")
            .Append("# configHash: ").Append(result.ConfigHash).Append('\n');
        foreach (var warning in result.Warnings)
            text.Append("# warning: ").Append(warning).Append('\n');
        text.Append(KubernetesYaml.SerializeAll(result.Objects));

        var path = Path.Combine(RepoPaths.Golden, golden + ".yaml");
        if (Environment.GetEnvironmentVariable("UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(RepoPaths.Golden);
            File.WriteAllText(path, text.ToString());
        }

        Assert.True(File.Exists(path), $"{path} is missing; run the tests with UPDATE_GOLDEN=1 to create it");
        Assert.Equal(File.ReadAllText(path), text.ToString());
    }
}
