namespace Mta.Commands.Tables;

/// <summary>One key/value pair read from a table source, with its line for diagnostics.</summary>
internal readonly record struct SourceLine(string Key, string Value, int LineNumber);
