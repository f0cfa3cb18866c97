using Mta.Commands.Queue;
using Mta.Config.Tables;

namespace Mta.Commands.Tables;

/// <summary>A "[type:]name" operand, the type defaulting to default_database_type, as postmap and postalias read it.</summary>
internal readonly record struct TableReference(string Type, string Name)
{
    private static readonly HashSet<string> IndexedTypes = new(StringComparer.OrdinalIgnoreCase) { "hash", "btree", "lmdb", "cdb", "dbm", "sdbm" };

    public static TableReference Parse(string operand, string defaultType) =>
        LookupTableFactory.TryParseReference(operand, out var type, out var name)
            ? new TableReference(type.ToLowerInvariant(), name)
            : new TableReference(defaultType, operand);

    public bool IsIndexed => IndexedTypes.Contains(Type);

    /// <summary>redis:NAME, the pods' shared table: built from the source file NAME into the Redis of redis_url.</summary>
    public bool IsRedis => Type == Mta.Queue.Redis.RedisTables.TypeName;

    /// <summary>The file postmap writes for this table (e.g. /etc/aliases.db for hash:/etc/aliases).</summary>
    public string IndexedPath => IndexedTableFile.IndexedPath(Type, Name);

    public override string ToString() => $"{Type}:{Name}";

    /// <summary>Refuses what Postfix cannot create in bulk, with its words.</summary>
    public void EnsureBuildable()
    {
        if (Type == "proxy")
            throw new FatalError("can't create maps via the proxy service");
        if (IsIndexed || IsRedis)
            return;
        throw new FatalError(LookupTableFactory.Shared.IsRegistered(Type)
            ? $"unsupported dictionary type: {Type} does not support bulk-mode creation."
            : $"unsupported dictionary type: {Type}");
    }

    /// <summary>An indexed table is looked up in its indexed file only, so a missing one is fatal as in Postfix.</summary>
    public void EnsureOpenable()
    {
        if (!LookupTableFactory.Shared.IsRegistered(Type) && Type != "proxy" && !IsRedis)
            throw new FatalError($"unsupported dictionary type: {Type}");
        if (IsIndexed && !File.Exists(IndexedPath))
            throw new FatalError($"open database {IndexedPath}: No such file or directory");
    }
}
