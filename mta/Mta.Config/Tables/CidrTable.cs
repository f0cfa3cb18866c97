using System.Net;

namespace Mta.Config.Tables;

/// <summary>
/// cidr: table (dict_cidr.c): "network/prefix result" rules, also bare addresses, "!pattern" and if/endif blocks;
/// the first matching rule wins. Keys that are not IP addresses never match.
/// </summary>
public sealed class CidrTable : ILookupTable
{
    private readonly List<Rule> _rules = new();

    public CidrTable(string name, TableOpenOptions options)
    {
        Reference = "cidr:" + name;
        var depth = 0;
        var stack = new Stack<List<Rule>>();
        var current = _rules;
        foreach (var line in PatternRuleSource.Read("cidr", name))
        {
            var (first, rest) = PatternRuleSource.SplitFirstWord(line.Text);
            if (first.Equals("endif", StringComparison.OrdinalIgnoreCase))
            {
                if (depth == 0)
                {
                    options.Warning($"cidr map {name}, line {line.LineNumber}: ignoring ENDIF without matching IF");
                    continue;
                }
                depth--;
                current = stack.Pop();
                continue;
            }
            var isIf = first.Equals("if", StringComparison.OrdinalIgnoreCase);
            if (isIf)
                (first, rest) = PatternRuleSource.SplitFirstWord(rest);
            var negate = first.StartsWith('!');
            if (negate) first = first[1..];
            if (!IpNetwork.TryParse(first, out var network, out var error))
            {
                options.Warning($"cidr map {name}, line {line.LineNumber}: {error}: skipping this rule");
                continue;
            }
            if (isIf)
            {
                var block = new Rule(network, negate, null, new List<Rule>());
                current.Add(block);
                stack.Push(current);
                current = block.Children!;
                depth++;
                continue;
            }
            if (rest.Length == 0)
            {
                options.Warning($"cidr map {name}, line {line.LineNumber}: no lookup result: skipping this rule");
                continue;
            }
            current.Add(new Rule(network, negate, rest, null));
        }
        if (depth > 0)
            options.Warning($"cidr map {name}: more IFs than ENDIFs");
    }

    public string Reference { get; }
    public bool IsFixed => false;

    public ValueTask<string?> LookupAsync(string key, CancellationToken cancellationToken = default)
    {
        if (!IPAddress.TryParse(key.Trim('[', ']'), out var address))
            return ValueTask.FromResult<string?>(null);
        return ValueTask.FromResult(Match(_rules, address));
    }

    private static string? Match(List<Rule> rules, IPAddress address)
    {
        foreach (var rule in rules)
        {
            if (rule.Network.Contains(address) == rule.Negate)
                continue;
            if (rule.Children is null)
                return rule.Result;
            var inner = Match(rule.Children, address);
            if (inner is not null)
                return inner;
        }
        return null;
    }

    private sealed record Rule(IpNetwork Network, bool Negate, string? Result, List<Rule>? Children);
}
