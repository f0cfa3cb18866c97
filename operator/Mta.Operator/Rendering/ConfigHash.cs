using System.Security.Cryptography;
using System.Text;

namespace Mta.Operator.Rendering;

/// <summary>SHA-256 (lowercase hex) over named texts, in key order, so equal configuration always hashes equal.</summary>
public static class ConfigHash
{
    public static string Of(IEnumerable<KeyValuePair<string, string>> files)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var (name, text) in files.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            sha.AppendData(Encoding.UTF8.GetBytes(name));
            sha.AppendData([0]);
            sha.AppendData(Encoding.UTF8.GetBytes(text));
            sha.AppendData([0]);
        }

        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }
}
