namespace Mta.Delivery.Local;

/// <summary>
/// Where a destination came from (local.h EXPAND_TYPE_*): allow_mail_to_commands and allow_mail_to_files are
/// sets of these, and a "|command" or "/file" destination is refused unless its origin is in the set.
/// </summary>
[Flags]
public enum ExpansionType
{
    None = 0,
    Alias = 1,
    Forward = 2,
    Include = 4,
}

/// <summary>Parses allow_mail_to_commands/allow_mail_to_files ("alias, forward, include").</summary>
public static class ExpansionTypes
{
    public static ExpansionType Parse(IReadOnlyList<string> words)
    {
        var mask = ExpansionType.None;
        foreach (var word in words)
        {
            mask |= word.ToLowerInvariant() switch
            {
                "alias" => ExpansionType.Alias,
                "forward" => ExpansionType.Forward,
                "include" => ExpansionType.Include,
                _ => throw new Config.ConfigException($"bad expansion type: \"{word}\""),
            };
        }
        return mask;
    }
}
