namespace Mta.Commands.Queue;

/// <summary>
/// Postfix's mail_queue_id_ok(): what the commands accept as a queue ID at all (letters, digits, '_'). A name that
/// passes but is not one of our long IDs simply matches no message, as an unknown ID does in Postfix.
/// </summary>
internal static class QueueIdSyntax
{
    public static bool IsAcceptable(string? text) =>
        !string.IsNullOrEmpty(text) && text.Length <= 255 && text.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
