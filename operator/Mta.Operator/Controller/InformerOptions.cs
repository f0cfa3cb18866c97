namespace Mta.Operator.Controller;

/// <summary>Watch timing: a server-side timeoutSeconds drawn from a range (client-go uses 5-10 min) and reconnect backoff.</summary>
public sealed record InformerOptions
{
    public int MinWatchTimeoutSeconds { get; init; } = 300;
    public int MaxWatchTimeoutSeconds { get; init; } = 600;
    public TimeSpan ReconnectBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);
    public TimeSpan ReconnectMaxDelay { get; init; } = TimeSpan.FromSeconds(30);
}
