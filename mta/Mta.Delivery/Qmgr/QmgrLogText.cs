using System.Text;
using Mta.Queue;

namespace Mta.Delivery.Qmgr;

/// <summary>The queue manager's log lines, in Postfix's exact shapes (qmgr_message.c, qmgr_active.c, log_adhoc.c).</summary>
public static class QmgrLogText
{
    /// <summary><c>ID: from=&lt;sender&gt;, size=N, nrcpt=N (queue active)</c>; nrcpt counts the recipients still to do.</summary>
    public static string Active(QueueId id, string sender, long size, int recipients) =>
        $"{id}: from=<{sender}>, size={size}, nrcpt={recipients} (queue active)";

    public static string Expired(QueueId id, string sender) => $"{id}: from=<{sender}>, status=expired, returned to sender";

    public static string Removed(QueueId id) => $"{id}: removed";

    /// <summary>
    /// <c>ID: to=&lt;addr&gt;, orig_to=&lt;orig&gt;, relay=R, delay=D, delays=a/b/c/d, dsn=X.Y.Z, status=S (reason)</c>;
    /// orig_to only when it differs from to= (case-insensitively), as log_adhoc prints it.
    /// </summary>
    public static string Delivery(QueueId id, string to, string? originalTo, string relay, Delays delays, int resolution,
        string dsn, string status, string reason)
    {
        var text = new StringBuilder(160);
        text.Append(id.Value).Append(": to=<").Append(to).Append('>');
        if (!string.IsNullOrEmpty(originalTo) && !string.Equals(to, originalTo, StringComparison.OrdinalIgnoreCase))
            text.Append(", orig_to=<").Append(originalTo).Append('>');
        text.Append(", relay=").Append(relay);
        text.Append(", delay="); DelayText.Append(text, delays.Total, resolution);
        text.Append(", delays="); DelayText.Append(text, delays.BeforeQmgr, resolution);
        text.Append('/'); DelayText.Append(text, delays.InQmgr, resolution);
        text.Append('/'); DelayText.Append(text, delays.ConnectSetup, resolution);
        text.Append('/'); DelayText.Append(text, delays.Transmission, resolution);
        text.Append(", dsn=").Append(dsn).Append(", status=").Append(status).Append(" (").Append(reason).Append(')');
        return text.ToString();
    }
}
