using System.Text;
using k8s;
using Mta.Operator.Api;
using Mta.Operator.Rendering;

namespace Mta.Operator.Controller;

/// <summary>
/// Probes a MailServer's Redis at its redis_url (the external URL, or the managed Redis Service): PING for
/// RedisReady, then the queue depth as the summed length of the keys matching the queue key patterns. The password
/// comes from the Secret the MailServer names (the only Secret reads the operator makes).
/// </summary>
public sealed class RedisQueueProbe(IKubernetes kube, IReadOnlyList<string> queueKeyPatterns, TimeSpan timeout) : IQueueProbe
{
    /// <summary>Queue keys as the Redis queue store is expected to name them ({qN} hash tag per shard).</summary>
    public static IReadOnlyList<string> DefaultQueueKeyPatterns { get; } = ["mta:{q*}:active", "mta:{q*}:deferred", "mta:{q*}:incoming"] /* RedisKeys in Mta.Queue: prefix:{qN}:queue */;

    public async Task<QueueProbeResult> ProbeAsync(MailServer ms, CancellationToken ct)
    {
        using var bounded = CancellationTokenSource.CreateLinkedTokenSource(ct);
        bounded.CancelAfter(timeout);
        try
        {
            var url = new Uri(MainCfRenderer.RedisUrl(ms));
            if (url.Scheme != "redis") return QueueProbeResult.Down($"the operator probes redis:// only, not {url.Scheme}://");
            var host = url.Host;
            if (ms.Spec.Redis.External is null && ms.Metadata.NamespaceProperty is { } ns) host = $"{host}.{ns}.svc";
            await using var redis = await RespConnection.ConnectAsync(host, url.IsDefaultPort ? Layout.RedisPort : url.Port, bounded.Token).ConfigureAwait(false);
            if (await PasswordAsync(ms, bounded.Token).ConfigureAwait(false) is { } password)
                await redis.CommandAsync(bounded.Token, "AUTH", password).ConfigureAwait(false);
            if (url.AbsolutePath.Trim('/') is { Length: > 0 } db)
                await redis.CommandAsync(bounded.Token, "SELECT", db).ConfigureAwait(false);
            await redis.CommandAsync(bounded.Token, "PING").ConfigureAwait(false);
            long total = 0;
            foreach (var pattern in queueKeyPatterns)
                total += await CountAsync(redis, pattern, bounded.Token).ConfigureAwait(false);
            return QueueProbeResult.Up(total);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            return QueueProbeResult.Down(e is OperationCanceledException ? $"no answer within {timeout.TotalSeconds:0.#} s" : e.Message);
        }
    }

    private async Task<string?> PasswordAsync(MailServer ms, CancellationToken ct)
    {
        if (ms.Spec.Redis.External?.PasswordSecretRef is not { } reference) return null;
        var secret = await kube.CoreV1.ReadNamespacedSecretAsync(reference.Name, ms.Metadata.NamespaceProperty, cancellationToken: ct).ConfigureAwait(false);
        return secret.Data is not null && secret.Data.TryGetValue(reference.Key, out var bytes)
            ? Encoding.UTF8.GetString(bytes)
            : throw new InvalidOperationException($"secret {reference.Name} has no key {reference.Key}");
    }

    private static async Task<long> CountAsync(RespConnection redis, string pattern, CancellationToken ct)
    {
        long total = 0;
        var cursor = "0";
        do
        {
            var reply = (object?[])(await redis.CommandAsync(ct, "SCAN", cursor, "MATCH", pattern, "COUNT", "200").ConfigureAwait(false))!;
            cursor = (string)reply[0]!;
            foreach (var key in ((object?[])reply[1]!).Cast<string>())
                total += await LengthAsync(redis, key, ct).ConfigureAwait(false);
        }
        while (cursor != "0");
        return total;
    }

    private static async Task<long> LengthAsync(RespConnection redis, string key, CancellationToken ct)
    {
        var command = await redis.CommandAsync(ct, "TYPE", key).ConfigureAwait(false) switch
        {
            "list" => "LLEN",
            "zset" => "ZCARD",
            "set" => "SCARD",
            "stream" => "XLEN",
            "hash" => "HLEN",
            _ => null,
        };
        return command is null ? 0 : (long)(await redis.CommandAsync(ct, command, key).ConfigureAwait(false))!;
    }
}
