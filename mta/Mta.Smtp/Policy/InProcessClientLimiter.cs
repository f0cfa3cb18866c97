namespace Mta.Smtp.Policy;

/// <summary>
/// anvil(8) inside the process: one instance per host counts every smtpd listener's clients. Rates use anvil's
/// fixed window: a client's count restarts when anvil_rate_time_unit has passed since its window began.
/// Idle entries are dropped as they are found stale, so the table does not grow with one-off clients.
/// </summary>
public sealed class InProcessClientLimiter(TimeSpan rateTimeUnit, TimeProvider? time = null) : IClientLimiter
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly object _gate = new();
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private long _nextSweep;

    public ValueTask<ClientConnectionLease> ConnectAsync(string service, string clientKey, CancellationToken cancellationToken)
    {
        var key = service + "\0" + clientKey;
        int count, rate;
        lock (_gate)
        {
            var entry = Get(key);
            count = ++entry.Connections;
            rate = entry.Bump(ClientEventKindConnect, Now, rateTimeUnit);
        }
        return ValueTask.FromResult(new ClientConnectionLease(count, rate, () =>
        {
            lock (_gate)
            {
                if (_entries.TryGetValue(key, out var e) && e.Connections > 0)
                    e.Connections--;
            }
            return ValueTask.CompletedTask;
        }));
    }

    public ValueTask<int> CountEventAsync(string service, string clientKey, ClientEventKind kind, CancellationToken cancellationToken)
    {
        lock (_gate)
            return ValueTask.FromResult(Get(service + "\0" + clientKey).Bump((int)kind, Now, rateTimeUnit));
    }

    private const int ClientEventKindConnect = 4;
    private long Now => _time.GetTimestamp() * 1000 / _time.TimestampFrequency;

    private Entry Get(string key)
    {
        var now = Now;
        if (now >= _nextSweep)
        {
            _nextSweep = now + (long)rateTimeUnit.TotalMilliseconds;
            foreach (var stale in _entries.Where(e => e.Value.IsIdle(now, rateTimeUnit)).Select(e => e.Key).ToList())
                _entries.Remove(stale);
        }
        if (!_entries.TryGetValue(key, out var entry))
            _entries[key] = entry = new Entry();
        return entry;
    }

    private sealed class Entry
    {
        public int Connections;
        private readonly long[] _windowStart = new long[5];
        private readonly int[] _counts = new int[5];

        public int Bump(int kind, long now, TimeSpan unit)
        {
            if (_counts[kind] == 0 || now - _windowStart[kind] >= unit.TotalMilliseconds)
            {
                _windowStart[kind] = now;
                _counts[kind] = 0;
            }
            return ++_counts[kind];
        }

        public bool IsIdle(long now, TimeSpan unit) =>
            Connections == 0 && _windowStart.All(start => now - start >= unit.TotalMilliseconds);
    }
}
