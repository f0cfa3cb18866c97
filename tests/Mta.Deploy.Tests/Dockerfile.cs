using System.Text.Json;
using System.Text.RegularExpressions;

namespace Mta.Deploy.Tests;

/// <summary>A parsed Dockerfile: its instructions in order, continuation lines joined, comments dropped.</summary>
internal sealed partial class Dockerfile
{
    public sealed record Instruction(string Keyword, string Arguments, int Stage);

    public sealed record Copy(IReadOnlyList<string> Sources, string Destination, string? FromStage, int Stage);

    public IReadOnlyList<Instruction> Instructions { get; }

    public string Path { get; }

    private Dockerfile(string path, IReadOnlyList<Instruction> instructions)
    {
        Path = path;
        Instructions = instructions;
    }

    public static Dockerfile Load(string relativePath)
    {
        var instructions = new List<Instruction>();
        var stage = -1;
        var pending = "";
        foreach (var raw in File.ReadAllLines(RepoPaths.Combine(relativePath)))
        {
            var line = raw.Trim();
            if (pending.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
            {
                continue;
            }
            if (line.StartsWith('#'))
            {
                continue; // comment lines inside a continued instruction
            }
            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }
            var text = pending + line;
            pending = "";
            var space = text.IndexOf(' ');
            var keyword = text[..space].ToUpperInvariant();
            if (keyword == "FROM")
            {
                stage++;
            }
            instructions.Add(new Instruction(keyword, text[(space + 1)..].Trim(), stage));
        }
        return new Dockerfile(relativePath, instructions);
    }

    public IEnumerable<Copy> Copies()
    {
        foreach (var instruction in Instructions.Where(i => i.Keyword is "COPY" or "ADD"))
        {
            var words = SplitArguments(instruction.Arguments);
            var from = words.FirstOrDefault(w => w.StartsWith("--from=", StringComparison.Ordinal))?["--from=".Length..];
            var paths = words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
            yield return new Copy(paths[..^1], paths[^1], from, instruction.Stage);
        }
    }

    public IEnumerable<Instruction> Runs(int? stage = null) =>
        Instructions.Where(i => i.Keyword == "RUN" && (stage is null || i.Stage == stage));

    public int FinalStage => Instructions.Max(i => i.Stage);

    /// <summary>Index of the first RUN whose command matches, for "copied before restore" checks.</summary>
    public int IndexOfRun(string pattern) =>
        Instructions.ToList().FindIndex(i => i.Keyword == "RUN" && Regex.IsMatch(i.Arguments, pattern));

    public IReadOnlyList<string> ExecForm(string keyword)
    {
        var instruction = Instructions.Last(i => i.Keyword == keyword);
        return JsonSerializer.Deserialize<List<string>>(instruction.Arguments)
            ?? throw new InvalidOperationException(keyword + " is not in exec form");
    }

    /// <summary>The label keys the final stage sets.</summary>
    public IReadOnlySet<string> FinalLabels() =>
        Instructions.Where(i => i.Keyword == "LABEL" && i.Stage == FinalStage)
            .SelectMany(i => LabelKey().Matches(i.Arguments).Select(m => m.Groups[1].Value))
            .ToHashSet();

    private static List<string> SplitArguments(string arguments) =>
        arguments.StartsWith('[')
            ? JsonSerializer.Deserialize<List<string>>(arguments)!
            : arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();

    [GeneratedRegex(@"([a-z0-9.\-]+)=")]
    private static partial Regex LabelKey();
}
