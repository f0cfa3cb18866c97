namespace Mta.Delivery.Local;

/// <summary>One /etc/passwd line (as unix:passwd.byname returns it): what local(8) needs from getpwnam().</summary>
public sealed record PasswdEntry(string Name, int Uid, int Gid, string Home, string Shell)
{
    /// <summary>Parses "name:x:uid:gid:gecos:home:shell"; null when malformed.</summary>
    public static PasswdEntry? Parse(string? line)
    {
        if (line is null)
            return null;
        var f = line.Split(':');
        if (f.Length < 7 || !int.TryParse(f[2], out var uid) || !int.TryParse(f[3], out var gid))
            return null;
        return new PasswdEntry(f[0], uid, gid, f[5], f[6]);
    }
}
