namespace Mta.Smtp.Server;

internal enum LineStatus
{
    /// <summary>A whole line; its terminator is stripped.</summary>
    Line,
    /// <summary>The first part of a line longer than the limit (a Postfix REC_TYPE_CONT record); more follows.</summary>
    Partial,
    /// <summary>A command line longer than line_length_limit; the excess was skipped up to its newline.</summary>
    TooLong,
    /// <summary>The client closed the connection.</summary>
    Closed,
}
