using System.Collections.Concurrent;
using Mta.Smtp;

namespace Mta.Delivery.Tests.Local;

/// <summary>Keeps the agents' log lines for assertions.</summary>
public sealed class TestLog : IMailLog
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public void Write(string program, string text) => Lines.Enqueue($"{program}: {text}");
}
