using System.Collections.Concurrent;

namespace Mta.Smtp.Tests.Support;

/// <summary>Keeps log lines for assertions and also formats them through the real PostfixLogWriter.</summary>
public sealed class ListLog : IMailLog
{
    private readonly StringWriter _text = new();
    private readonly PostfixLogWriter _writer;

    public ListLog() => _writer = new PostfixLogWriter(_text, "mx.example.com");

    public ConcurrentQueue<string> Lines { get; } = new();

    public string Text { get { lock (_text) return _text.ToString(); } }

    public void Write(string program, string text)
    {
        Lines.Enqueue(text);
        lock (_text)
            _writer.Write(program, text);
    }

    /// <summary>Waits until a line matching the predicate was logged (sessions log after the client sees the last reply).</summary>
    public async Task<string> WaitForAsync(Func<string, bool> match, int timeoutMs = 3000)
    {
        var until = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < until)
        {
            var hit = Lines.FirstOrDefault(match);
            if (hit is not null)
                return hit;
            await Task.Delay(20);
        }
        throw new Xunit.Sdk.XunitException("log line not found; log was:\n" + string.Join("\n", Lines));
    }
}
