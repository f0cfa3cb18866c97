namespace Mta.Config.Tables;

/// <summary>
/// One Postfix lookup table (dict(3)): a key maps to a value or to nothing.
/// Implementations fold keys themselves where Postfix does (fixed-string tables fold to lower case),
/// and throw <see cref="TableLookupException"/> when the table cannot answer (Postfix's dict->error).
/// </summary>
public interface ILookupTable
{
    /// <summary>The reference the table was opened from, e.g. "hash:/etc/postfix/access" (used in log lines).</summary>
    string Reference { get; }

    /// <summary>
    /// True for fixed-string tables (hash, lmdb, texthash, inline, static, ...): callers may look up partial keys
    /// (parent domains, "user@", address prefixes). Pattern tables (regexp, pcre, cidr) only see the full key,
    /// as DICT_FLAG_FIXED/DICT_FLAG_PATTERN decide in Postfix.
    /// </summary>
    bool IsFixed { get; }

    /// <summary>Looks the key up; null when not found.</summary>
    ValueTask<string?> LookupAsync(string key, CancellationToken cancellationToken = default);
}
