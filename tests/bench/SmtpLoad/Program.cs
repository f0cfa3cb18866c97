// smtp-load: sends N messages of SIZE bytes over C concurrent SMTP sessions (one message per
// transaction, sessions reused like smtp-source -s C) and reports the rate and the time from the
// end of DATA to the 250 reply (p50/p99), i.e. how long the server takes to make mail durable.
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

var opts = args.Select(a => a.Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");
string host = opts.GetValueOrDefault("host", "127.0.0.1");
int port = int.Parse(opts.GetValueOrDefault("port", "25"));
int total = int.Parse(opts.GetValueOrDefault("messages", "1000"));
int concurrency = int.Parse(opts.GetValueOrDefault("sessions", "10"));
int size = int.Parse(opts.GetValueOrDefault("size", "1024"));

byte[] body = BuildBody(size);
var latencies = new double[total];
int next = -1, failures = 0;
var clock = Stopwatch.StartNew();
await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(RunSession)));
clock.Stop();

Array.Sort(latencies);
int ok = total - failures;
double P(double q) => ok == 0 ? 0 : latencies[failures + Math.Min(ok - 1, (int)(q * ok))];
Console.WriteLine($"messages={ok} failures={failures} seconds={clock.Elapsed.TotalSeconds:F2} rate={ok / clock.Elapsed.TotalSeconds:F1}/s p50_ms={P(0.50):F2} p99_ms={P(0.99):F2}");
return failures == 0 ? 0 : 1;

async Task RunSession()
{
    using var client = new TcpClient { NoDelay = true };
    await client.ConnectAsync(host, port);
    var stream = client.GetStream();
    var reader = new StreamReader(stream, Encoding.ASCII);
    async Task<string> Reply()
    {
        string? line;
        do { line = await reader.ReadLineAsync() ?? throw new IOException("connection closed"); }
        while (line.Length > 3 && line[3] == '-');
        return line;
    }
    async Task<string> Send(string command)
    {
        await stream.WriteAsync(Encoding.ASCII.GetBytes(command + "\r\n"));
        return await Reply();
    }
    await Reply();
    await Send("EHLO load.example");
    int i;
    while ((i = Interlocked.Increment(ref next)) < total)
    {
        bool sent = (await Send("MAIL FROM:<load@example.com>")).StartsWith("250")
            && (await Send("RCPT TO:<sink@example.net>")).StartsWith("250")
            && (await Send("DATA")).StartsWith("354");
        if (sent)
        {
            await stream.WriteAsync(body);
            long start = Stopwatch.GetTimestamp();
            sent = (await Send(".")).StartsWith("250");
            latencies[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        }
        if (!sent) { latencies[i] = -1; Interlocked.Increment(ref failures); await Send("RSET"); }
    }
    await Send("QUIT");
}

static byte[] BuildBody(int size)
{
    var text = new StringBuilder("From: load@example.com\r\nTo: sink@example.net\r\nSubject: load\r\n\r\n");
    while (text.Length < size) text.Append("abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789\r\n");
    return Encoding.ASCII.GetBytes(text.ToString());
}
