using System.Globalization;

namespace Mta.Delivery.Smtp;

/// <summary>The ESMTP extensions a server announced in its EHLO/LHLO reply that this client uses.</summary>
public sealed record EhloFeatures(
    bool Esmtp,
    bool Pipelining = false,
    bool Size = false,
    long SizeLimit = 0,
    bool EightBitMime = false,
    bool Smtputf8 = false,
    bool Dsn = false,
    bool StartTls = false)
{
    /// <summary>Plain SMTP after HELO: no extensions.</summary>
    public static readonly EhloFeatures None = new(Esmtp: false);

    /// <summary>Reads the keyword lines of a positive EHLO reply (the first line is the greeting).</summary>
    public static EhloFeatures Parse(ServerReply reply)
    {
        var features = new EhloFeatures(Esmtp: true);
        for (var i = 1; i < reply.Lines.Count; i++)
        {
            var line = reply.Lines[i];
            if (line.Length <= 4)
                continue;
            var words = line[4..].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length == 0)
                continue;
            features = words[0].ToUpperInvariant() switch
            {
                "PIPELINING" => features with { Pipelining = true },
                "SIZE" => features with
                {
                    Size = true,
                    SizeLimit = words.Length > 1 && long.TryParse(words[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0,
                },
                "8BITMIME" => features with { EightBitMime = true },
                "SMTPUTF8" => features with { Smtputf8 = true },
                "DSN" => features with { Dsn = true },
                "STARTTLS" => features with { StartTls = true },
                _ => features,
            };
        }
        return features;
    }
}
