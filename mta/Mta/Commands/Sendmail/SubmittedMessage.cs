using System.Text;
using MimeKit;

namespace Mta.Commands.Sendmail;

/// <summary>
/// A message as sendmail reads it from standard input: lines end in LF or CRLF (stored as CRLF), a leading
/// mbox "From " line is dropped, and unless -i a line with a single "." ends the input. The header block is kept
/// as logical headers so -t can take recipients from To:/Cc:/Bcc: (Resent- ones when present) and drop Bcc:.
/// </summary>
internal sealed class SubmittedMessage
{
    private readonly List<string> _headers = [];
    private readonly List<string> _body = [];

    public IReadOnlyList<string> Headers => _headers;

    public static SubmittedMessage Read(TextReader input, bool ignoreDots)
    {
        var message = new SubmittedMessage();
        var inHeaders = true;
        var first = true;
        string? line;
        while ((line = input.ReadLine()) is not null)
        {
            if (!ignoreDots && line == ".")
                break;
            if (first && line.StartsWith("From ", StringComparison.Ordinal))
            {
                first = false;
                continue;
            }
            first = false;
            if (inHeaders)
            {
                if (line.Length == 0)
                {
                    inHeaders = false;
                    continue;
                }
                if ((line[0] == ' ' || line[0] == '\t') && message._headers.Count > 0)
                {
                    message._headers[^1] += "\r\n" + line;
                    continue;
                }
                if (IsHeaderLine(line))
                {
                    message._headers.Add(line);
                    continue;
                }
                // Not a header: the body starts here, as cleanup decides for a message without an empty line.
                inHeaders = false;
            }
            message._body.Add(line);
        }
        return message;
    }

    public bool Has(string name) => _headers.Any(h => NameOf(h).Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>-t: recipients from Resent-To/Cc/Bcc when any Resent- header exists, else To/Cc/Bcc.</summary>
    public List<string> ExtractRecipients()
    {
        var resent = _headers.Any(h => NameOf(h).StartsWith("Resent-", StringComparison.OrdinalIgnoreCase));
        string[] names = resent ? ["Resent-To", "Resent-Cc", "Resent-Bcc"] : ["To", "Cc", "Bcc"];
        var result = new List<string>();
        foreach (var header in _headers.Where(h => names.Contains(NameOf(h), StringComparer.OrdinalIgnoreCase)))
        {
            var value = header[(header.IndexOf(':') + 1)..].Replace("\r\n", "");
            if (InternetAddressList.TryParse(value, out var list))
                result.AddRange(list.Mailboxes.Select(m => m.Address));
        }
        return result;
    }

    /// <summary>Bcc: headers never leave the submission (sendmail -t removes them, as cleanup does).</summary>
    public void RemoveBcc() => _headers.RemoveAll(h => NameOf(h).Equals("Bcc", StringComparison.OrdinalIgnoreCase)
        || NameOf(h).Equals("Resent-Bcc", StringComparison.OrdinalIgnoreCase));

    /// <summary>The message as stored: headers (with the ones cleanup adds at the end), empty line, body; CRLF.</summary>
    public byte[] ToBytes(string prepended, string appendedHeaders)
    {
        var sb = new StringBuilder(prepended);
        foreach (var header in _headers)
            sb.Append(header).Append("\r\n");
        sb.Append(appendedHeaders).Append("\r\n");
        foreach (var line in _body)
            sb.Append(line).Append("\r\n");
        return Encoding.UTF8.GetBytes(sb.ToString());
    }

    private static string NameOf(string header) => header[..Math.Max(0, header.IndexOf(':'))].TrimEnd();

    private static bool IsHeaderLine(string line)
    {
        var colon = line.IndexOf(':');
        if (colon <= 0)
            return false;
        for (var i = 0; i < colon; i++)
        {
            var c = line[i];
            if (c <= ' ' || c > '~')
                return i > 0 && line[i..colon].Trim().Length == 0;
        }
        return true;
    }
}
