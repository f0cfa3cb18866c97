namespace Mta.Config.Tables;

/// <summary>A table could not answer (unreachable server, fail: table, unreadable file): Postfix's DICT_ERR_RETRY/CONFIG.</summary>
public sealed class TableLookupException(string reference, string message, Exception? inner = null)
    : Exception($"{reference}: {message}", inner)
{
    public string Reference { get; } = reference;
}
