using k8s.Models;
using Mta.Operator.Rendering;

namespace Mta.Operator.Tests.Render;

/// <summary>
/// What the operator renders is what the pods run: every tier's main.cf and master.cf must pass the same
/// `mta postfix -c DIR check` that `mta postfix start-fg` runs before it starts a single service.
/// </summary>
public sealed class RenderedConfigRunsTests
{
    [Theory]
    [InlineData("minimal.yaml", false)]
    [InlineData("full.yaml", false)]
    [InlineData("full.yaml", true)]
    public void EveryTiersConfigurationPassesPostfixCheck(string example, bool everything)
    {
        var result = MailServerRenderer.Render(RenderFixtures.Example(example), everything ? RenderFixtures.Everything : RenderContext.Minimal);
        Assert.True(result.ConfigValid, result.ConfigError);
        var configMaps = result.Objects.OfType<V1ConfigMap>().Where(c => c.Data?.ContainsKey("main.cf") == true).ToList();
        Assert.Equal(3, configMaps.Count);
        foreach (var configMap in configMaps)
        {
            var dir = Directory.CreateTempSubdirectory("mta-rendered-").FullName;
            try
            {
                File.WriteAllText(Path.Combine(dir, "main.cf"), configMap.Data["main.cf"]);
                File.WriteAllText(Path.Combine(dir, "master.cf"), configMap.Data["master.cf"]);
                var output = new StringWriter();
                var errors = new StringWriter();
                var status = Mta.Cli.Run(["postfix", "-c", dir, "check"], output, errors);
                Assert.True(status == 0, $"{configMap.Metadata.Name}: {errors}");
                Assert.DoesNotContain("fatal:", errors.ToString());
            }
            finally
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}
