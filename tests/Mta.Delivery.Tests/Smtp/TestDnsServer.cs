using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Mta.Delivery.Tests.Smtp;

/// <summary>
/// A small real DNS server on 127.0.0.1 (UDP, port 0) answering from a table: MX, A and AAAA records,
/// names that give NXDOMAIN (any name not in the table), names that give SERVFAIL, and "no data" for a
/// name that exists without records of the asked type. Enough of RFC 1035 for DnsClient to talk to it.
/// </summary>
public sealed class TestDnsServer : IAsyncDisposable
{
    private const ushort TypeA = 1, TypeMx = 15, TypeAaaa = 28;

    private readonly UdpClient _udp = new(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<string, List<(ushort Type, byte[] Data)>> _records = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _servfail = new(StringComparer.OrdinalIgnoreCase);
    private readonly Task _loop;
    private int _queries;

    public TestDnsServer() => _loop = Task.Run(ServeAsync);

    public IPEndPoint EndPoint => (IPEndPoint)_udp.Client.LocalEndPoint!;

    /// <summary>Queries answered so far.</summary>
    public int Queries => Volatile.Read(ref _queries);

    public TestDnsServer Mx(string domain, int preference, string exchange)
    {
        var name = EncodeName(exchange);
        var data = new byte[2 + name.Length];
        BinaryPrimitives.WriteUInt16BigEndian(data, (ushort)preference);
        name.CopyTo(data, 2);
        return Add(domain, TypeMx, data);
    }

    /// <summary>RFC 7505 null MX: "domain MX 0 ."</summary>
    public TestDnsServer NullMx(string domain) => Mx(domain, 0, ".");

    public TestDnsServer A(string host, string address) => Add(host, TypeA, IPAddress.Parse(address).GetAddressBytes());

    public TestDnsServer Aaaa(string host, string address) => Add(host, TypeAaaa, IPAddress.Parse(address).GetAddressBytes());

    /// <summary>A name that exists but has no records (queries get NOERROR with no answers).</summary>
    public TestDnsServer Exists(string name) => Add(name, 0, []);

    public TestDnsServer ServFail(string name)
    {
        lock (_records)
            _servfail.Add(name.TrimEnd('.'));
        return this;
    }

    private TestDnsServer Add(string name, ushort type, byte[] data)
    {
        lock (_records)
        {
            var key = name.TrimEnd('.');
            if (!_records.TryGetValue(key, out var list))
                _records[key] = list = [];
            if (type != 0)
                list.Add((type, data));
        }
        return this;
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult request;
            try
            {
                request = await _udp.ReceiveAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            var reply = Answer(request.Buffer);
            if (reply is null)
                continue;
            Interlocked.Increment(ref _queries);
            await _udp.SendAsync(reply, request.RemoteEndPoint, _stop.Token);
        }
    }

    private byte[]? Answer(byte[] query)
    {
        if (query.Length < 12 || BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(4)) != 1)
            return null;
        var offset = 12;
        var name = ReadName(query, ref offset);
        var type = BinaryPrimitives.ReadUInt16BigEndian(query.AsSpan(offset));
        var questionEnd = offset + 4;

        List<(ushort Type, byte[] Data)> answers = [];
        byte rcode;
        lock (_records)
        {
            if (_servfail.Contains(name))
                rcode = 2;
            else if (_records.TryGetValue(name, out var all))
            {
                rcode = 0;
                answers = all.Where(r => r.Type == type).ToList();
            }
            else
                rcode = 3; // NXDOMAIN
        }

        var reply = new List<byte>(512);
        reply.AddRange(query.AsSpan(0, 2).ToArray()); // ID
        var rd = (byte)(query[2] & 0x01);
        reply.Add((byte)(0x80 | rd)); // QR, opcode 0, RD copied
        reply.Add((byte)(0x80 | rcode)); // RA, rcode
        AddUInt16(reply, 1);
        AddUInt16(reply, (ushort)answers.Count);
        AddUInt16(reply, 0);
        AddUInt16(reply, 0);
        reply.AddRange(query.AsSpan(12, questionEnd - 12).ToArray());
        foreach (var (rtype, data) in answers)
        {
            AddUInt16(reply, 0xC00C); // pointer to the question name
            AddUInt16(reply, rtype);
            AddUInt16(reply, 1); // IN
            reply.AddRange([0, 0, 0, 60]); // TTL
            AddUInt16(reply, (ushort)data.Length);
            reply.AddRange(data);
        }
        return [.. reply];
    }

    private static void AddUInt16(List<byte> list, ushort value)
    {
        list.Add((byte)(value >> 8));
        list.Add((byte)value);
    }

    private static string ReadName(byte[] message, ref int offset)
    {
        var labels = new List<string>();
        while (message[offset] != 0)
        {
            var length = message[offset++];
            labels.Add(Encoding.ASCII.GetString(message, offset, length));
            offset += length;
        }
        offset++;
        return string.Join('.', labels);
    }

    private static byte[] EncodeName(string name)
    {
        var bytes = new List<byte>();
        foreach (var label in name.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(Encoding.ASCII.GetBytes(label));
        }
        bytes.Add(0);
        return [.. bytes];
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _udp.Dispose();
        await _loop;
        _stop.Dispose();
    }
}
