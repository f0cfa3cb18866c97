using System.Security.Cryptography;
using System.Text;

namespace Mta.Smtp;

/// <summary>
/// A simple "user:password" table (one entry per line, '#' comments), e.g. a file mounted from a Kubernetes Secret.
/// Passwords are compared in constant time.
/// </summary>
public sealed class PasswordTable : ISaslCredentials
{
    private readonly Dictionary<string, byte[]> _passwords;

    public PasswordTable(IEnumerable<KeyValuePair<string, string>> entries)
    {
        _passwords = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        foreach (var (user, password) in entries)
            _passwords[user] = Encoding.UTF8.GetBytes(password);
    }

    /// <summary>Parses "user:password" lines; the first ':' separates user from password.</summary>
    public static PasswordTable Parse(string text)
    {
        var entries = new List<KeyValuePair<string, string>>();
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length == 0 || line.TrimStart().StartsWith('#'))
                continue;
            var colon = line.IndexOf(':');
            if (colon <= 0)
                throw new FormatException($"password table: expected user:password, got \"{line}\"");
            entries.Add(new(line[..colon], line[(colon + 1)..]));
        }
        return new PasswordTable(entries);
    }

    public static PasswordTable Load(string path) => Parse(File.ReadAllText(path));

    public ValueTask<bool> VerifyAsync(string username, string password, CancellationToken cancellationToken)
    {
        if (!_passwords.TryGetValue(username, out var expected))
            return ValueTask.FromResult(false);
        var given = Encoding.UTF8.GetBytes(password);
        return ValueTask.FromResult(CryptographicOperations.FixedTimeEquals(expected, given));
    }
}
