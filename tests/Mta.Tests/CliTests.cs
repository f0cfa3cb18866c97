namespace Mta.Tests;

/// <summary>The multi-call executable: dispatch by program name or first argument, version.</summary>
public sealed class CliTests
{
    [Fact]
    public void VersionIsPrinted()
    {
        var result = ProcessRunner.Mta("--version");
        Assert.Equal(("mta 0.1.0\n", "", 0), (result.Stdout, result.Stderr, result.ExitCode));
    }

    [Fact]
    public void ProgramNameSelectsTheCommand()
    {
        using var config = new TempConfig("myhostname = named.example\n");
        var result = ProcessRunner.Invoke("/usr/local/bin/postconf", "-c", config.Directory, "-h", "myhostname");
        Assert.Equal(("named.example\n", 0), (result.Stdout, result.ExitCode));
    }

    [Fact]
    public void UnknownCommandPrintsUsage()
    {
        var result = ProcessRunner.Mta("frobnicate");
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("mta: unknown command: frobnicate\nusage: mta COMMAND", result.Stderr);
    }

    [Fact]
    public void PostconfDefaultsListEveryCatalogueParameter()
    {
        using var config = new TempConfig("", masterCf: "");
        var printed = ProcessRunner.Mta("postconf", "-c", config.Directory, "-d").Stdout
            .Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split(" =")[0]).ToHashSet();
        var missing = Mta.Config.ParameterCatalogue.All.Select(p => p.Name).Where(n => !printed.Contains(n)).ToList();
        Assert.Empty(missing);
        Assert.Contains("queue_backend", printed);
        Assert.Contains("redis_url", printed);
        Assert.Contains("mynetworks", printed);
    }
}
