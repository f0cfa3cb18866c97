namespace Mta.Config.Tables;

/// <summary>One key/value pair of a table source, with where it came from (for "file:line" diagnostics).</summary>
public readonly record struct TableEntry(string Key, string Value, int LineNumber = 0);
