namespace Mta.Delivery.Smtp;

/// <summary>
/// Idle sessions kept open per destination for the next request (Postfix's scache, in process):
/// a session is kept for smtp_connection_cache_time_limit, reused at most smtp_connection_reuse_count_limit
/// times and not after smtp_connection_reuse_time_limit; an idle session that expires is closed with QUIT.
/// </summary>
internal sealed class SessionCache(SmtpClientSettings settings) : IAsyncDisposable
{
    private readonly Dictionary<string, Stack<Entry>> _idle = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _lock = new();

    private sealed record Entry(string Key, SmtpSession Session, CancellationTokenSource Expiry);

    /// <summary>Whether <paramref name="session"/> may carry another transaction later.</summary>
    public bool MayKeep(SmtpSession session) =>
        settings.ConnectionCacheOnDemand && session.Reusable &&
        (settings.ConnectionReuseCountLimit <= 0 || session.TransactionCount <= settings.ConnectionReuseCountLimit) &&
        DateTimeOffset.UtcNow - session.Opened < settings.ConnectionReuseTimeLimit;

    /// <summary>An idle session for <paramref name="key"/> (the caller probes it with RSET), or null.</summary>
    public SmtpSession? TryTake(string key)
    {
        lock (_lock)
        {
            if (!_idle.TryGetValue(key, out var stack) || stack.Count == 0)
                return null;
            var entry = stack.Pop();
            entry.Expiry.Dispose();
            return entry.Session;
        }
    }

    /// <summary>Keeps <paramref name="session"/> idle under <paramref name="key"/> until reused or expired.</summary>
    public void Put(string key, SmtpSession session)
    {
        var expiry = new CancellationTokenSource();
        var entry = new Entry(key, session, expiry);
        lock (_lock)
        {
            if (!_idle.TryGetValue(key, out var stack))
                _idle[key] = stack = new Stack<Entry>();
            stack.Push(entry);
        }
        expiry.Token.Register(() => _ = ExpireAsync(entry));
        expiry.CancelAfter(settings.ConnectionCacheTimeLimit);
    }

    private async Task ExpireAsync(Entry entry)
    {
        lock (_lock)
        {
            if (!_idle.TryGetValue(entry.Key, out var stack) || !stack.Contains(entry))
                return; // taken for reuse meanwhile
            var rest = stack.Where(e => !ReferenceEquals(e, entry)).Reverse().ToArray();
            stack.Clear();
            foreach (var e in rest)
                stack.Push(e);
        }
        await entry.Session.QuitAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Number of idle sessions (for tests and diagnostics).</summary>
    public int IdleCount
    {
        get
        {
            lock (_lock)
                return _idle.Values.Sum(s => s.Count);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Entry[] all;
        lock (_lock)
        {
            all = _idle.Values.SelectMany(s => s).ToArray();
            _idle.Clear();
        }
        foreach (var entry in all)
        {
            await entry.Expiry.CancelAsync().ConfigureAwait(false);
            entry.Expiry.Dispose();
            await entry.Session.QuitAsync(CancellationToken.None).ConfigureAwait(false);
        }
    }
}
