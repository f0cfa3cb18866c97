using System.Globalization;
using System.Text;

namespace Mta.Commands.Queue;

/// <summary>
/// postqueue -p / mailq output in Postfix's layout (showq_compat). Our queue IDs are always long IDs, so this is
/// the layout Postfix uses with enable_long_queue_ids = yes: "%-17s %8s %-19s %s" columns, the message line's
/// arrival as the first 19 characters of asctime() in local time, "*" after an active and "!" after a held ID,
/// a "(reason)" line right-aligned to column 78 whenever a recipient's reason differs from the previous one's,
/// recipients indented 47 columns, a blank line between messages, and the "-- N Kbytes in M Requests." footer.
/// </summary>
internal static class MailqFormatter
{
    private const int IdWidth = 17, SizeWidth = 8, TimeWidth = 19;
    private const int ReasonEndColumn = 76;
    private static readonly string RecipientIndent = new(' ', IdWidth + 1 + SizeWidth + 1 + TimeWidth + 1);

    public static string Format(IReadOnlyList<ShowqEntry> entries, TimeZoneInfo zone)
    {
        if (entries.Count == 0)
            return "Mail queue is empty\n";
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture,
            $"{"----Queue ID-----",-IdWidth} {"--Size--",SizeWidth} {"---Arrival Time----",-TimeWidth} --Sender/Recipient------\n");
        long totalSize = 0;
        for (var i = 0; i < entries.Count; i++)
        {
            if (i > 0)
                text.Append('\n');
            AppendMessage(text, entries[i], zone);
            totalSize += entries[i].Size;
        }
        text.Append(CultureInfo.InvariantCulture,
            $"\n-- {totalSize / 1024} Kbytes in {entries.Count} Request{(entries.Count == 1 ? "" : "s")}.\n");
        return text.ToString();
    }

    /// <summary>asctime()'s first 19 characters: "Thu Nov  5 01:02:03" (the day of month padded with a space).</summary>
    public static string AscTime(DateTimeOffset time, TimeZoneInfo zone)
    {
        var local = TimeZoneInfo.ConvertTime(time, zone);
        return string.Create(CultureInfo.InvariantCulture, $"{local:ddd} {local:MMM} {local.Day,2} {local:HH:mm:ss}");
    }

    private static void AppendMessage(StringBuilder text, ShowqEntry entry, TimeZoneInfo zone)
    {
        var status = entry.Queue switch
        {
            Mta.Queue.QueueName.Active => "*",
            Mta.Queue.QueueName.Hold => "!",
            _ => "",
        } + (entry.ForcedExpire ? "#" : "");
        text.Append(CultureInfo.InvariantCulture,
            $"{entry.Id.Value + status,-IdWidth} {entry.Size,SizeWidth} {AscTime(entry.Arrival, zone)} {entry.Sender}\n");
        var previousReason = "";
        foreach (var recipient in entry.Recipients)
        {
            if (recipient.Reason != previousReason)
            {
                previousReason = recipient.Reason;
                var shown = recipient.Reason.Length > 0 ? recipient.Reason : "reason unavailable";
                text.Append(' ', Math.Max(0, ReasonEndColumn - shown.Length)).Append('(').Append(shown).Append(")\n");
            }
            text.Append(RecipientIndent).Append(recipient.Address).Append('\n');
        }
    }
}
