namespace Mta.Config.Lists;

/// <summary>
/// One pattern of a match list after /file/name expansion: the pattern text (without '!'), whether it is
/// negated, and when a /file/name could not be read, the error lookups must report (Postfix degrades to a
/// table whose lookups fail with "open file NAME: REASON").
/// </summary>
public sealed record MatchListItem(string Pattern, bool Negated, string? FileError = null)
{
    /// <summary>The type:table reference this pattern names, or null for a plain pattern.</summary>
    public TableReference? Table => FileError is null && TableReference.TryParse(Pattern, out var t) ? t : null;
}
