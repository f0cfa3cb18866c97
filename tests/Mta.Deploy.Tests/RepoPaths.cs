namespace Mta.Deploy.Tests;

/// <summary>Where the repository and the tools the deploy checks need are.</summary>
internal static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Helm => Path.Combine(Root, ".tools", "bin", "helm");

    public static string Promtool => Environment.GetEnvironmentVariable("PROMTOOL") is { Length: > 0 } p ? p : "/usr/bin/promtool";

    public static string Chart => Path.Combine(Root, "charts", "mta-operator");

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts) => File.ReadAllText(Combine(parts));

    /// <summary>
    /// Fails (never skips) when a tool is missing, so a CI run cannot pass without having run the check.
    /// .ci/run installs helm with tests/chart/install-tools.sh; promtool comes from the Debian package prometheus.
    /// </summary>
    public static string RequireTool(string path, string howToInstall)
    {
        if (!File.Exists(path))
        {
            var ci = Environment.GetEnvironmentVariable("CI") == "true" ? " (CI=true: the tools must be installed)" : "";
            Assert.Fail($"{path} is missing{ci}: {howToInstall}");
        }
        return path;
    }

    public static string RequireHelm() => RequireTool(Helm, "run tests/chart/install-tools.sh");

    public static string RequirePromtool() => RequireTool(Promtool, "apt-get install prometheus (it ships promtool)");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mta.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("Mta.sln not found above " + AppContext.BaseDirectory);
    }
}
