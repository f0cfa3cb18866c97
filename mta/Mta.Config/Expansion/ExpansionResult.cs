namespace Mta.Config.Expansion;

/// <summary>
/// The outcome of one $-expansion. <see cref="IsError"/> is Postfix's MAC_PARSE_ERROR: the text is then
/// unusable and Postfix dies with "macro processing error" after printing <see cref="Warnings"/>.
/// <see cref="UndefinedNames"/> lists names looked up but not defined (postconf warns
/// "FILE: undefined parameter: NAME"), in order of first use.
/// </summary>
public sealed record ExpansionResult(
    string Text,
    bool IsError,
    IReadOnlyList<string> Warnings,
    IReadOnlyList<string> UndefinedNames);
