using System.Collections.Concurrent;
using Mta.Smtp;

namespace Mta.Delivery.Tests.Qmgr;

/// <summary>Keeps every log line as "program: text".</summary>
public sealed class RecordingLog : IMailLog
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyList<string> Lines => _lines.ToArray();

    public void Write(string program, string text) => _lines.Enqueue($"{program}: {text}");

    public bool Contains(string line) => _lines.Contains(line);
}
