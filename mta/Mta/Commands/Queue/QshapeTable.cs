using System.Globalization;
using System.Text;

namespace Mta.Commands.Queue;

/// <summary>
/// qshape(1)'s table: one row per recipient (or, with -s, sender) domain and a TOTAL row first, one column per
/// age bucket of the message (T, then 5 10 20 40 ... minutes, doubling, the last one open: "1280+"; -l makes
/// them linear), rows by count descending then by name length, domains right-aligned in what the bucket columns
/// leave of the width (at least 18), longer names cut from the left with "+". With -p, parent domains (never a
/// top-level domain) get rows with a leading "." when at least -m of their subdomains are listed.
/// </summary>
internal sealed class QshapeTable(QshapeOptions options, DateTimeOffset now)
{
    private const int MinDomainWidth = 18;
    private const string Total = "TOTAL";
    private readonly Dictionary<string, long[]> _rows = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _subdomains = new(StringComparer.Ordinal);

    /// <summary>Counts one message: once per (non-final) recipient, or once for its sender with -s.</summary>
    public void Add(DateTimeOffset arrival, string sender, IEnumerable<string> recipients)
    {
        var bucket = Bucket(arrival);
        foreach (var address in options.Senders ? [sender] : recipients)
        {
            Count(Total, bucket);
            var domain = DomainOf(address.ToLowerInvariant());
            var isNew = false;
            while (true)
            {
                var seenBefore = Count(domain, bucket) > 1;
                if (isNew)
                    _subdomains[domain] = _subdomains.GetValueOrDefault(domain) + 1;
                isNew = !seenBefore;
                if (!options.Parents || ParentOf(domain) is not { } parent)
                    break;
                domain = parent;
            }
        }
    }

    public string Format()
    {
        var heads = new List<string>();
        var widths = new List<int>();
        var domainWidth = options.Width;
        var totals = Row(Total);
        for (int i = 0, t = 0; i <= options.Buckets; i++)
        {
            var head = i == 0 ? "T" : i < options.Buckets ? t.ToString(CultureInfo.InvariantCulture) : $"{t}+";
            var length = Math.Max(totals[i].ToString(CultureInfo.InvariantCulture).Length, head.Length);
            length = length > 2 ? length + 1 : 3;
            heads.Add(head);
            widths.Add(length);
            domainWidth -= length;
            if (i + 1 < options.Buckets)
                t += t != 0 && !options.Linear ? t : options.TickMinutes;
        }
        domainWidth = Math.Max(domainWidth, MinDomainWidth);

        var text = new StringBuilder();
        AppendLine(text, "", heads, widths, domainWidth);
        // TOTAL first (in the Perl original it wins on count, and a tie only on a shorter name); ties broken by name.
        var ordered = _rows.Keys
            .Where(d => !d.StartsWith('.') || _subdomains.GetValueOrDefault(d) >= options.MinSubdomains)
            .OrderBy(d => d == Total ? 0 : 1)
            .ThenByDescending(d => _rows[d][0])
            .ThenBy(d => d.Length)
            .ThenBy(d => d, StringComparer.Ordinal);
        foreach (var domain in ordered)
            AppendLine(text, domain, _rows[domain].Select(n => n.ToString(CultureInfo.InvariantCulture)).ToList(), widths, domainWidth);
        return text.ToString();
    }

    // Perl qshape: bucket 1 below one tick, then 2 + floor(log2(age in ticks)) (or age+1 with -l), capped at the last.
    private int Bucket(DateTimeOffset arrival)
    {
        var ticks = (now - arrival).TotalMinutes / options.TickMinutes;
        if (ticks < 1)
            return 1;
        var bucket = options.Linear ? (int)(ticks + 1) : 2 + (int)Math.Floor(Math.Log(ticks) / Math.Log(2));
        return Math.Min(bucket, options.Buckets);
    }

    private long Count(string domain, int bucket)
    {
        var row = Row(domain);
        row[bucket]++;
        return ++row[0];
    }

    private long[] Row(string domain)
    {
        if (!_rows.TryGetValue(domain, out var row))
            _rows[domain] = row = new long[options.Buckets + 1];
        return row;
    }

    /// <summary>The part after the last "@" (the whole address when there is none), doubled dots folded, outer dots dropped.</summary>
    private static string DomainOf(string address)
    {
        if (address.Length == 0)
            return "MAILER-DAEMON";
        var domain = address[(address.LastIndexOf('@') + 1)..];
        while (domain.Contains(".."))
            domain = domain.Replace("..", ".");
        var trimmed = domain.Trim('.');
        return trimmed.Length > 0 ? trimmed : domain;
    }

    /// <summary>".example.com" for "a.example.com" or ".a.example.com"; null once only "x.tld" is left.</summary>
    private static string? ParentOf(string domain)
    {
        var body = domain.StartsWith('.') ? domain[1..] : domain;
        var dot = body.IndexOf('.');
        if (dot <= 0)
            return null;
        var rest = body[(dot + 1)..];
        return rest.Contains('.') ? "." + rest : null;
    }

    private static void AppendLine(StringBuilder text, string domain, List<string> cells, List<int> widths, int domainWidth)
    {
        if (domain.Length > domainWidth)
            text.Append(domain.StartsWith('.') ? ".+" + domain[^(domainWidth - 2)..] : "+" + domain[^(domainWidth - 1)..]);
        else
            text.Append(' ', domainWidth - domain.Length).Append(domain);
        for (var i = 0; i < cells.Count; i++)
            text.Append(cells[i].PadLeft(widths[i]));
        text.Append('\n');
    }
}
