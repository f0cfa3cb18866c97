using System.Xml.Linq;

namespace Mta.Deploy.Tests;

/// <summary>Reads .csproj files: a project's assembly name and the projects it references, transitively.</summary>
internal static class ProjectGraph
{
    /// <summary>Repository-relative paths (forward slashes) of the project and every project it references.</summary>
    public static IReadOnlyList<string> Closure(string projectPath)
    {
        var seen = new List<string>();
        var pending = new Stack<string>([Normalize(projectPath)]);
        while (pending.TryPop(out var project))
        {
            if (seen.Contains(project))
            {
                continue;
            }
            seen.Add(project);
            var directory = Path.GetDirectoryName(RepoPaths.Combine(project))!;
            foreach (var reference in Load(project).Descendants("ProjectReference"))
            {
                var include = reference.Attribute("Include")!.Value.Replace('\\', '/');
                pending.Push(Normalize(Path.GetRelativePath(RepoPaths.Root, Path.GetFullPath(Path.Combine(directory, include)))));
            }
        }
        return seen;
    }

    public static string AssemblyName(string projectPath) =>
        Load(projectPath).Descendants("AssemblyName").Select(e => e.Value).SingleOrDefault()
        ?? Path.GetFileNameWithoutExtension(projectPath);

    private static XDocument Load(string projectPath) => XDocument.Load(RepoPaths.Combine(projectPath));

    private static string Normalize(string path) => path.Replace('\\', '/');
}
