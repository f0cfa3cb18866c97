using System.Text;
using Mta.Delivery.Agents;
using Mta.Queue;

namespace Mta.Delivery.Local;

/// <summary>
/// delivered_hdr(3): the Delivered-To: addresses already in a message's header block. A recipient found here is
/// a mail forwarding loop ("mail forwarding loop for X", 5.4.6). Comparison ignores case.
/// </summary>
public sealed class DeliveredToHeaders
{
    private const int HeaderLimit = 1024 * 1024;
    private readonly HashSet<string> _addresses;

    private DeliveredToHeaders(HashSet<string> addresses) => _addresses = addresses;

    public static DeliveredToHeaders Empty { get; } = new(new HashSet<string>(StringComparer.OrdinalIgnoreCase));

    public bool Contains(string address) => _addresses.Contains(address);

    /// <summary>
    /// The Delivered-To: addresses of a request's message, or (when its body cannot be read) null and every
    /// recipient deferred with <paramref name="relay"/> as the relay= field: what local and virtual do first.
    /// </summary>
    public static async ValueTask<(DeliveredToHeaders? Headers, IReadOnlyList<RecipientResult> Deferred)> ReadForAsync(
        DeliveryRequest request, string relay, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await request.OpenBody(cancellationToken);
            return (await ReadAsync(body, cancellationToken), []);
        }
        catch (IOException e)
        {
            return (null, request.Recipients
                .Select(r => new RecipientResult(r.Index, RecipientOutcome.Deferred("4.3.0", $"error reading message: {e.Message}"), relay))
                .ToList());
        }
    }

    /// <summary>Reads the header block (up to the first empty line) and keeps every Delivered-To: value.</summary>
    public static async ValueTask<DeliveredToHeaders> ReadAsync(Stream body, CancellationToken cancellationToken)
    {
        var found = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using var reader = new StreamReader(body, Encoding.Latin1, detectEncodingFromByteOrderMarks: false, leaveOpen: true);
        string? current = null;
        long read = 0;
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            read += line.Length + 2;
            if (line.Length == 0 || read > HeaderLimit)
                break;
            if ((line[0] == ' ' || line[0] == '\t') && current is not null)
            {
                current += line;
                continue;
            }
            Take(current, found);
            current = line;
            if (line.IndexOf(':') < 0)
            {
                current = null;
                break;
            }
        }
        Take(current, found);
        return new DeliveredToHeaders(found);
    }

    private static void Take(string? header, HashSet<string> found)
    {
        const string Name = "Delivered-To:";
        if (header is not null && header.StartsWith(Name, StringComparison.OrdinalIgnoreCase))
            found.Add(header[Name.Length..].Trim().Trim('<', '>'));
    }
}
