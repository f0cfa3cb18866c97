namespace Mta.Config.Tables;

/// <summary>How a table reference is opened.</summary>
/// <param name="AliasSyntax">Source files use aliases(5) syntax ("name: value") instead of postmap's "key value".</param>
/// <param name="FoldCase">Fold fixed-string keys to lower case (postmap -f turns this off).</param>
/// <param name="Warn">Receives warnings (duplicate keys, bad lines) in Postfix's wording, without the "warning: " label.</param>
/// <param name="ReloadCheckInterval">How often file-backed tables stat their file to pick up a rebuilt table; zero checks on every lookup.</param>
public sealed record TableOpenOptions(
    bool AliasSyntax = false,
    bool FoldCase = true,
    Action<string>? Warn = null,
    TimeSpan? ReloadCheckInterval = null)
{
    public static TableOpenOptions Default { get; } = new();

    internal void Warning(string text) => Warn?.Invoke(text);
}
