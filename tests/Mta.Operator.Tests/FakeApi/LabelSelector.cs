using System.Text.Json.Nodes;

namespace Mta.Operator.Tests.FakeApi;

/// <summary>Equality-based label selectors (a=b, a==b, a!=b, a, !a), as sent by list and watch calls.</summary>
public sealed class LabelSelector
{
    private readonly List<Func<JsonObject?, bool>> requirements = [];

    public static readonly LabelSelector Everything = new(null);

    public LabelSelector(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return;
        foreach (var raw in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (raw.Contains("!=", StringComparison.Ordinal))
            {
                var (k, v) = Split(raw, "!=");
                requirements.Add(labels => Value(labels, k) != v);
            }
            else if (raw.Contains('='))
            {
                var (k, v) = Split(raw, raw.Contains("==", StringComparison.Ordinal) ? "==" : "=");
                requirements.Add(labels => Value(labels, k) == v);
            }
            else if (raw.StartsWith('!'))
            {
                var k = raw[1..];
                requirements.Add(labels => Value(labels, k) is null);
            }
            else if (raw.Contains(' ') || raw.Contains('('))
            {
                throw FakeApiException.BadRequest($"unsupported label selector in the fake: {raw}");
            }
            else
            {
                requirements.Add(labels => Value(labels, raw) is not null);
            }
        }
    }

    public bool Matches(JsonObject obj)
    {
        var labels = JsonTree.At(obj, ["metadata", "labels"]) as JsonObject;
        return requirements.All(r => r(labels));
    }

    private static (string, string) Split(string s, string op)
    {
        var i = s.IndexOf(op, StringComparison.Ordinal);
        return (s[..i].Trim(), s[(i + op.Length)..].Trim());
    }

    private static string? Value(JsonObject? labels, string key) => JsonTree.Str(labels, key);
}
