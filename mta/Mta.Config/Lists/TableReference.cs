namespace Mta.Config.Lists;

/// <summary>A lookup table reference "type:name" (hash:/etc/postfix/virtual, inline:{a=b}, redis:aliases).</summary>
public sealed record TableReference(string Type, string Name)
{
    /// <summary>
    /// Postfix's test for a table in a list (MATCH_DICTIONARY): the item contains ':' and does not start
    /// with '[' (which marks an address such as [::1]).
    /// </summary>
    public static bool TryParse(string item, out TableReference table)
    {
        table = null!;
        if (item.Length == 0 || item[0] == '[')
            return false;
        int colon = item.IndexOf(':');
        if (colon < 0)
            return false;
        table = new TableReference(item[..colon], item[(colon + 1)..]);
        return true;
    }

    public override string ToString() => $"{Type}:{Name}";
}
