using System.Diagnostics;
using System.Text;
using Mta.Delivery.Routing;
using Mta.Smtp.Policy;

namespace Mta.Delivery.Tests.Routing;

/// <summary>
/// Debian's real trivial-rewrite(8), run stand-alone (-S) on a test's own main.cf (MAIL_CONFIG) and spoken to in
/// Postfix's attribute protocol (name NUL value NUL ..., NUL ends a record) over its standard input and output.
/// A recipient is rewritten in the "local" context as cleanup does, resolved, and the reply mapped the way
/// qmgr_resolve_one() maps resolver failures and bad syntax, so it compares directly with our <see cref="Route"/>.
/// </summary>
public sealed class PostfixTrivialRewrite(string configDirectory)
{
    public const string Program = "/usr/lib/postfix/sbin/trivial-rewrite";
    private const int FlagError = 1 << 2, FlagFail = 1 << 3;
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(10);

    /// <summary>What qmgr would deliver the recipient with: (transport, nexthop, recipient).</summary>
    public async Task<Route> RouteAsync(string recipient)
    {
        var rewritten = await RequestAsync(("request", "rewrite"), ("rule", "local"),
            ("address", AddressText.Externalize(recipient)));
        var canonical = Unquote(rewritten["address"]);
        var reply = await RequestAsync(("request", "resolve"), ("sender", ""), ("address", canonical));
        var flags = int.Parse(reply["flags"]);
        if ((flags & FlagFail) != 0)
            return new Route(TransportChoice.Retry, "4.3.0 address resolver failure", reply["recipient"]);
        if ((flags & FlagError) != 0)
            return new Route(TransportChoice.Error, "5.1.3 bad address syntax", reply["recipient"]);
        return new Route(reply["transport"], reply["nexthop"], reply["recipient"]);
    }

    /// <summary>Stand-alone mode serves one request per process, so each request starts its own.</summary>
    private async Task<Dictionary<string, string>> RequestAsync(params (string Name, string Value)[] attributes)
    {
        if (!File.Exists(Program))
            throw new InvalidOperationException($"{Program} is missing: install Debian's postfix package (.ci/run does)");
        var start = new ProcessStartInfo(Program, "-S")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
            WorkingDirectory = configDirectory,
        };
        start.Environment["MAIL_CONFIG"] = configDirectory;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("cannot start " + Program);
        using var timeout = new CancellationTokenSource(ReplyTimeout);
        try
        {
            var request = new MemoryStream();
            foreach (var (name, value) in attributes)
            {
                request.Write(Encoding.UTF8.GetBytes(name));
                request.WriteByte(0);
                request.Write(Encoding.UTF8.GetBytes(value));
                request.WriteByte(0);
            }
            request.WriteByte(0);
            await process.StandardInput.BaseStream.WriteAsync(request.ToArray(), timeout.Token);
            process.StandardInput.Close();

            var output = new MemoryStream();
            await process.StandardOutput.BaseStream.CopyToAsync(output, timeout.Token);
            await process.WaitForExitAsync(timeout.Token);
            var fields = Encoding.UTF8.GetString(output.ToArray()).Split('\0');
            var reply = new Dictionary<string, string>(StringComparer.Ordinal);
            // name, value, ..., then an empty name ends the record. "flags" comes twice: the server's status
            // first, the resolver's flags last; the last one wins.
            for (var i = 0; i + 1 < fields.Length && fields[i].Length > 0; i += 2)
                reply[fields[i]] = fields[i + 1];
            if (reply.Count == 0)
                throw new InvalidOperationException($"{Program} gave no reply (exit code {process.ExitCode}); it logs why to syslog");
            return reply;
        }
        finally
        {
            if (!process.HasExited)
                process.Kill();
        }
    }

    /// <summary>unquote_822_local(): the rewrite service answers in external form.</summary>
    private static string Unquote(string address)
    {
        if (!address.StartsWith('"'))
            return address;
        var sb = new StringBuilder();
        var i = 1;
        for (; i < address.Length && address[i] != '"'; i++)
        {
            if (address[i] == '\\' && i + 1 < address.Length)
                i++;
            sb.Append(address[i]);
        }
        return sb.Append(address.AsSpan(i + 1)).ToString();
    }
}
