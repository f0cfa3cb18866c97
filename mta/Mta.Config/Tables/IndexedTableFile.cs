using System.Buffers.Binary;
using System.Text;

namespace Mta.Config.Tables;

/// <summary>
/// Our indexed table file, what `postmap hash:/etc/postfix/access` writes and `hash:`/`btree:`/`lmdb:`/`cdb:`/`dbm:`
/// tables read. It is NOT Berkeley DB/LMDB/CDB: it is our own simple format, written under the file name Postfix
/// uses for that type (<see cref="IndexedPath"/>), so operators find the file where they expect it.
/// Layout (little-endian): the 8 magic bytes "MTATBL1\n", an int32 flags word (bit 0: keys were folded to lower
/// case), an int32 entry count, then the entries sorted by the ordinal UTF-8 bytes of their keys, each as
/// int32 key length, key bytes, int32 value length, value bytes (UTF-8). Writers write a temp file and rename it
/// into place, so a reader never sees half a table.
/// </summary>
public static class IndexedTableFile
{
    private static readonly byte[] Magic = "MTATBL1\n"u8.ToArray();

    /// <summary>The indexed file Postfix would build for a table type and source name (e.g. hash:/x -> /x.db).</summary>
    public static string IndexedPath(string type, string name) => type.ToLowerInvariant() switch
    {
        "lmdb" => name + ".lmdb",
        "cdb" => name + ".cdb",
        "dbm" or "sdbm" => name + ".pag",
        _ => name + ".db", // hash, btree
    };

    /// <summary>Writes the entries atomically (temp file, flush to disk, rename). Later duplicate keys are dropped.</summary>
    public static void Write(string path, IEnumerable<TableEntry> entries, bool keysFolded = true)
    {
        var unique = new SortedDictionary<string, string>(Utf8OrdinalComparer.Instance);
        foreach (var e in entries)
            unique.TryAdd(e.Key, e.Value);

        var temp = path + ".tmp" + Environment.ProcessId;
        using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            Span<byte> word = stackalloc byte[4];
            stream.Write(Magic);
            BinaryPrimitives.WriteInt32LittleEndian(word, keysFolded ? 1 : 0);
            stream.Write(word);
            BinaryPrimitives.WriteInt32LittleEndian(word, unique.Count);
            stream.Write(word);
            foreach (var (key, value) in unique)
            {
                WriteString(stream, key, word);
                WriteString(stream, value, word);
            }
            stream.Flush(flushToDisk: true);
        }
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>True when the file starts with our magic (a Berkeley DB left by a real Postfix does not).</summary>
    public static bool IsOurFormat(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            Span<byte> head = stackalloc byte[8];
            return stream.ReadAtLeast(head, 8, throwOnEndOfStream: false) == 8 && head.SequenceEqual(Magic);
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>Reads every entry, in key order.</summary>
    public static IReadOnlyList<TableEntry> Read(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < 16 || !bytes.AsSpan(0, 8).SequenceEqual(Magic))
            throw new InvalidDataException($"{path}: not an indexed table file built by postmap");
        var count = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(12));
        var entries = new List<TableEntry>(count);
        var offset = 16;
        for (var i = 0; i < count; i++)
        {
            var key = ReadString(bytes, ref offset, path);
            var value = ReadString(bytes, ref offset, path);
            entries.Add(new TableEntry(key, value));
        }
        return entries;
    }

    private static void WriteString(Stream stream, string text, Span<byte> word)
    {
        var data = Encoding.UTF8.GetBytes(text);
        BinaryPrimitives.WriteInt32LittleEndian(word, data.Length);
        stream.Write(word);
        stream.Write(data);
    }

    private static string ReadString(byte[] bytes, ref int offset, string path)
    {
        if (offset + 4 > bytes.Length)
            throw new InvalidDataException($"{path}: truncated indexed table file");
        var length = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(offset));
        offset += 4;
        if (length < 0 || offset + length > bytes.Length)
            throw new InvalidDataException($"{path}: truncated indexed table file");
        var text = Encoding.UTF8.GetString(bytes, offset, length);
        offset += length;
        return text;
    }

    private sealed class Utf8OrdinalComparer : IComparer<string>
    {
        public static readonly Utf8OrdinalComparer Instance = new();

        // UTF-16 ordinal order differs from UTF-8 byte order only for surrogates; compare code points instead.
        public int Compare(string? x, string? y)
        {
            if (ReferenceEquals(x, y)) return 0;
            if (x is null) return -1;
            if (y is null) return 1;
            var ex = x.EnumerateRunes();
            var ey = y.EnumerateRunes();
            while (true)
            {
                var hx = ex.MoveNext();
                var hy = ey.MoveNext();
                if (!hx || !hy) return hx ? 1 : hy ? -1 : 0;
                var c = ex.Current.Value.CompareTo(ey.Current.Value);
                if (c != 0) return c;
            }
        }
    }
}
