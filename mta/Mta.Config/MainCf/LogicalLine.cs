namespace Mta.Config.MainCf;

/// <summary>One logical line of main.cf/master.cf: its text (continuations appended as read) and its physical line range.</summary>
public readonly record struct LogicalLine(string Text, int FirstLine, int LastLine);
