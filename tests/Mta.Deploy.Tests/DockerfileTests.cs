using System.Text.RegularExpressions;
using Mta.Operator.Rendering;

namespace Mta.Deploy.Tests;

/// <summary>
/// Docker cannot run on the build machines, so everything about the image builds that can be checked
/// without it is checked here; .github/workflows/images.yml builds the images for real.
/// </summary>
public sealed class DockerfileTests
{
    public static TheoryData<string, string, string> Images => new()
    {
        // Dockerfile, project it publishes, install directory of the published app
        { "mta/Dockerfile", "mta/Mta/Mta.csproj", "/opt/mta" },
        { "operator/Dockerfile", "operator/Mta.Operator/Mta.Operator.csproj", "/opt/mta-operator" },
    };

    private static readonly string[] PostfixCommands =
        ["sendmail", "mailq", "postqueue", "postsuper", "postconf", "newaliases", "postfix", "postmap", "postalias"];

    [Theory]
    [MemberData(nameof(Images))]
    public void EveryCopySourceExistsInTheRepository(string dockerfile, string project, string installDir)
    {
        _ = project; _ = installDir;
        var copies = Dockerfile.Load(dockerfile).Copies().Where(c => c.FromStage is null).ToList();
        Assert.NotEmpty(copies);
        foreach (var source in copies.SelectMany(c => c.Sources))
        {
            Assert.True(File.Exists(RepoPaths.Combine(source)) || Directory.Exists(RepoPaths.Combine(source)),
                $"{dockerfile}: COPY source '{source}' does not exist");
        }
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void EveryProjectTheBuildNamesExists(string dockerfile, string project, string installDir)
    {
        _ = installDir;
        var named = Dockerfile.Load(dockerfile).Runs()
            .SelectMany(r => Regex.Matches(r.Arguments, @"\S+\.csproj").Select(m => m.Value))
            .Distinct()
            .ToList();
        Assert.Contains(project, named);
        Assert.All(named, p => Assert.True(File.Exists(RepoPaths.Combine(p)), $"{dockerfile} names {p}, which does not exist"));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void RestoreSeesEveryReferencedProjectAndTheCentralPackageVersions(string dockerfile, string project, string installDir)
    {
        _ = installDir;
        var file = Dockerfile.Load(dockerfile);
        var restore = file.IndexOfRun(@"dotnet restore");
        Assert.True(restore >= 0, $"{dockerfile} has no dotnet restore step");
        var copiedBeforeRestore = CopiedPaths(file, restore);

        var needed = ProjectGraph.Closure(project).Append("Directory.Build.props").Append("Directory.Packages.props");
        Assert.All(needed, path => Assert.True(IsCovered(copiedBeforeRestore, path),
            $"{dockerfile}: {path} is not copied before `dotnet restore`, so restore (and the layer cache) misses it"));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void PublishSeesTheSourcesOfEveryReferencedProject(string dockerfile, string project, string installDir)
    {
        _ = installDir;
        var file = Dockerfile.Load(dockerfile);
        var publish = file.IndexOfRun(@"dotnet publish");
        Assert.True(publish >= 0, $"{dockerfile} has no dotnet publish step");
        var copied = CopiedPaths(file, publish);
        foreach (var referenced in ProjectGraph.Closure(project))
        {
            var directory = Path.GetDirectoryName(referenced)!.Replace('\\', '/');
            foreach (var source in Directory.EnumerateFiles(RepoPaths.Combine(directory), "*.cs", SearchOption.AllDirectories)
                         .Select(f => Path.GetRelativePath(RepoPaths.Root, f).Replace('\\', '/'))
                         .Where(f => !f.Contains("/bin/") && !f.Contains("/obj/")))
            {
                Assert.True(IsCovered(copied, source), $"{dockerfile}: {source} is not copied before `dotnet publish`");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void DockerignoreLetsEveryCopiedSourceThrough(string dockerfile, string project, string installDir)
    {
        _ = project; _ = installDir;
        var ignore = DockerIgnore.Load();
        foreach (var source in Dockerfile.Load(dockerfile).Copies().Where(c => c.FromStage is null).SelectMany(c => c.Sources))
        {
            var full = RepoPaths.Combine(source);
            var files = Directory.Exists(full)
                ? Directory.EnumerateFiles(full, "*", SearchOption.AllDirectories)
                    .Select(f => Path.GetRelativePath(RepoPaths.Root, f).Replace('\\', '/'))
                    .Where(f => (f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal))
                                && !f.Contains("/bin/") && !f.Contains("/obj/"))
                : [source];
            Assert.All(files, f => Assert.False(ignore.IsExcluded(f), $".dockerignore excludes {f}, which {dockerfile} copies"));
        }
    }

    [Fact]
    public void DockerignoreKeepsBuildOutputAndUnrelatedFilesOutOfTheContext()
    {
        var ignore = DockerIgnore.Load();
        Assert.True(ignore.IsExcluded("mta/Mta/bin/Release/net10.0/mta.dll"));
        Assert.True(ignore.IsExcluded("operator/Mta.Operator/obj/project.assets.json"));
        Assert.True(ignore.IsExcluded(".tools/bin/helm"));
        Assert.True(ignore.IsExcluded("tests/Mta.Deploy.Tests/DockerfileTests.cs"));
        Assert.True(ignore.IsExcluded(".git/HEAD"));
        Assert.False(ignore.IsExcluded("mta/Mta/Program.cs"));
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void BuildsWithTheSdkAndRunsOnTheAspNetCoreRuntimeAsUser65532(string dockerfile, string project, string installDir)
    {
        _ = project;
        var file = Dockerfile.Load(dockerfile);
        var froms = file.Instructions.Where(i => i.Keyword == "FROM")
            .Select(i => i.Arguments.StartsWith("--platform=", StringComparison.Ordinal) ? i.Arguments[(i.Arguments.IndexOf(' ') + 1)..] : i.Arguments)
            .ToList();
        Assert.StartsWith("mcr.microsoft.com/dotnet/sdk:", froms[0]);
        Assert.StartsWith("mcr.microsoft.com/dotnet/aspnet:", froms[^1]);

        var users = file.Instructions.Where(i => i.Keyword == "USER" && i.Stage == file.FinalStage).ToList();
        Assert.Equal("65532:65532", Assert.Single(users).Arguments);

        var published = file.Runs().Single(r => r.Arguments.Contains("dotnet publish")).Arguments;
        Assert.Contains("--self-contained false", published);
        Assert.Contains(file.Copies(), c => c.FromStage == "build" && c.Destination.TrimEnd('/') == installDir);
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void CarriesTheOciLabels(string dockerfile, string project, string installDir)
    {
        _ = project; _ = installDir;
        var labels = Dockerfile.Load(dockerfile).FinalLabels();
        foreach (var key in new[] { "title", "description", "version", "revision", "created", "source" })
        {
            Assert.Contains("org.opencontainers.image." + key, labels);
        }
    }

    [Fact]
    public void MtaImageStartsTheMasterFromTheMtaAssembly()
    {
        Assert.Equal("mta", ProjectGraph.AssemblyName("mta/Mta/Mta.csproj"));
        Assert.Equal(["mta", "postfix", "-c", "/etc/mta", "start-fg"], Dockerfile.Load("mta/Dockerfile").ExecForm("ENTRYPOINT"));
        Assert.Contains("ln -s /opt/mta/mta /usr/bin/mta", FinalRunText("mta/Dockerfile"));
    }

    [Fact]
    public void MtaImagePutsEveryPostfixCommandOnThePathAsALinkToMta()
    {
        var run = FinalRunText("mta/Dockerfile");
        foreach (var command in PostfixCommands)
        {
            // Either a direct link or a member of a `for cmd in ...; do ln -s /opt/mta/mta ...` loop.
            var linked = Regex.IsMatch(run, $@"ln -s /opt/mta/mta /usr/s?bin/{command}\b")
                || Regex.Matches(run, @"for cmd in ([a-z ]+);\s*do\s+ln -s /opt/mta/mta ""/usr/s?bin/\$cmd""")
                    .Any(m => m.Groups[1].Value.Split(' ').Contains(command));
            Assert.True(linked, $"mta/Dockerfile does not link {command} to /opt/mta/mta");
        }
    }

    [Fact]
    public void MtaImageMatchesThePodLayoutTheOperatorRenders()
    {
        // The operator mounts config, queue, data and mailboxes at Layout's paths and runs as Layout.UserId.
        var file = Dockerfile.Load("mta/Dockerfile");
        var run = FinalRunText("mta/Dockerfile");
        var user = $"{Layout.UserId}:{Layout.UserId}";
        var chown = Regex.Match(run, $@"chown {user} ([^;]+);").Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(new[] { Layout.QueueDirectory, Layout.MailDirectory, Layout.DataDirectory }.Order(), chown.Order());
        Assert.DoesNotContain("chown -R", run);
        Assert.Contains($"mkdir -p {Layout.ConfigDirectory} ", run);
        Assert.Equal(Layout.ConfigDirectory, file.ExecForm("ENTRYPOINT")[3]);
        Assert.Equal(user, file.Instructions.Last(i => i.Keyword == "USER").Arguments);
        Assert.Contains($"--uid {Layout.UserId} ", run);
    }

    [Fact]
    public void OperatorImageStartsTheOperatorAssembly()
    {
        Assert.Equal("mta-operator", ProjectGraph.AssemblyName("operator/Mta.Operator/Mta.Operator.csproj"));
        Assert.Equal(["mta-operator"], Dockerfile.Load("operator/Dockerfile").ExecForm("ENTRYPOINT"));
        Assert.Contains("ln -s /opt/mta-operator/mta-operator /usr/bin/mta-operator", FinalRunText("operator/Dockerfile"));
    }

    private static string FinalRunText(string dockerfile)
    {
        var file = Dockerfile.Load(dockerfile);
        return string.Join("\n", file.Runs(file.FinalStage).Select(r => r.Arguments));
    }

    /// <summary>
    /// Repository-relative paths that the build stage has copied (into WORKDIR /src) before instruction
    /// <paramref name="before"/>: "COPY a/b.csproj a/" lands a/b.csproj, "COPY dir/ dir/" lands the tree at dir.
    /// </summary>
    private static List<string> CopiedPaths(Dockerfile file, int before)
    {
        var copied = new List<string>();
        foreach (var instruction in file.Instructions.Take(before).Where(i => i.Keyword == "COPY"))
        {
            var words = instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (words[0].StartsWith("--from", StringComparison.Ordinal))
            {
                continue;
            }
            var destination = words[^1] == "./" ? "" : words[^1];
            foreach (var source in words[..^1])
            {
                var isDirectory = Directory.Exists(RepoPaths.Combine(source));
                var landsAt = destination.Length == 0 || destination.EndsWith('/')
                    ? (isDirectory ? destination : destination + Path.GetFileName(source))
                    : destination;
                copied.Add(landsAt.TrimEnd('/'));
            }
        }
        return copied;
    }

    private static bool IsCovered(IEnumerable<string> copied, string path) =>
        copied.Any(c => c == path || (c.Length > 0 && path.StartsWith(c + "/", StringComparison.Ordinal)));
}
