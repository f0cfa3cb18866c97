using StackExchange.Redis;

namespace Mta.Queue.Redis;

/// <summary>
/// Keys of redis: lookup tables: the hash <c>P:table:{NAME}</c> (field = key, folded to lower case). The table
/// name is the hash tag, so a reload's temporary hash lands in the same Cluster slot and RENAME works there too.
/// </summary>
internal static class RedisTableKeys
{
    public static RedisKey Table(string prefix, string name) => $"{prefix}:table:{{{CheckName(name)}}}";

    public static RedisKey Loading(string prefix, string name) =>
        $"{prefix}:table:{{{CheckName(name)}}}:loading:{Guid.NewGuid():N}";

    private static string CheckName(string name) =>
        name.Length > 0 && name.IndexOfAny(['{', '}']) < 0 && !name.Any(char.IsWhiteSpace)
            ? name
            : throw new ArgumentException($"bad redis table name \"{name}\" (no braces or spaces)", nameof(name));
}
