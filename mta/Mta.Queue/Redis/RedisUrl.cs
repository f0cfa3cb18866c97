using StackExchange.Redis;

namespace Mta.Queue.Redis;

/// <summary>
/// Parses redis_url: <c>redis://[[user]:password@]host[:port][/db]</c>, or <c>rediss://</c> for TLS.
/// User name and password may be percent-encoded (a Kubernetes Secret often holds symbols).
/// Queue options ride in the query string so main.cf needs no more parameters than redis_url:
/// <c>?shards=16&amp;wait_replicas=1&amp;wait_timeout=1000&amp;prefix=mta</c> (see <see cref="RedisQueueStoreOptions.FromUrl"/>).
/// </summary>
public static class RedisUrl
{
    public const int DefaultPort = 6379;

    /// <summary>The query-string options of a redis_url, names lower-cased; empty when there is none.</summary>
    public static IReadOnlyDictionary<string, string> QueryOptions(string url)
    {
        var options = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Query.Length <= 1) return options;
        foreach (var pair in uri.Query[1..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int equals = pair.IndexOf('=');
            if (equals <= 0) throw new FormatException($"redis_url: bad option \"{pair}\" (expected name=value)");
            options[Uri.UnescapeDataString(pair[..equals])] = Uri.UnescapeDataString(pair[(equals + 1)..]);
        }
        return options;
    }

    public static ConfigurationOptions Parse(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "redis" && uri.Scheme != "rediss"))
            throw new FormatException($"redis_url: expected redis://[[user]:password@]host[:port][/db] or rediss://..., got \"{url}\"");
        if (string.IsNullOrEmpty(uri.Host)) throw new FormatException($"redis_url: no host in \"{url}\"");
        var options = new ConfigurationOptions { Ssl = uri.Scheme == "rediss" };
        string host = uri.HostNameType == UriHostNameType.IPv6 ? uri.Host.Trim('[', ']') : uri.Host;
        options.EndPoints.Add(host, uri.IsDefaultPort || uri.Port < 0 ? DefaultPort : uri.Port);
        if (options.Ssl) options.SslHost = host;
        if (uri.UserInfo.Length > 0)
        {
            int colon = uri.UserInfo.IndexOf(':');
            string user = Uri.UnescapeDataString(colon < 0 ? "" : uri.UserInfo[..colon]);
            string password = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[(colon + 1)..]);
            if (user.Length > 0) options.User = user;
            if (password.Length > 0) options.Password = password;
        }
        string path = uri.AbsolutePath.Trim('/');
        if (path.Length > 0)
        {
            if (!int.TryParse(path, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int db))
                throw new FormatException($"redis_url: database must be a number, got \"{path}\"");
            options.DefaultDatabase = db;
        }
        return options;
    }
}
