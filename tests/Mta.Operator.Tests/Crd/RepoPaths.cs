namespace Mta.Operator.Tests.Crd;

/// <summary>Files of the repository the tests read (and, with UPDATE_GOLDEN=1, write).</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Crd => Path.Combine(Root, "crds", "mailservers.mta.dev.yaml");
    public static string Examples => Path.Combine(Root, "deploy", "examples");
    public static string Golden => Path.Combine(Root, "tests", "Mta.Operator.Tests", "golden");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Mta.sln")))
                return dir.FullName;
        }

        throw new InvalidOperationException("Mta.sln not found above " + AppContext.BaseDirectory);
    }
}
