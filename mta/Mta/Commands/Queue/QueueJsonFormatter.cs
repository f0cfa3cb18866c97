using System.Globalization;
using System.Text;

namespace Mta.Commands.Queue;

/// <summary>
/// postqueue -j: one JSON object per message and line, members in Postfix's order (queue_name, queue_id,
/// arrival_time, message_size, forced_expire, sender, recipients[address, delay_reason when there is one]),
/// written with Postfix's separators (", " and ": ") and its string quoting.
/// </summary>
internal static class QueueJsonFormatter
{
    public static void WriteLine(StringBuilder text, ShowqEntry entry)
    {
        text.Append("{\"queue_name\": \"").Append(Mta.Queue.QueueNames.ToPostfixName(entry.Queue));
        text.Append("\", \"queue_id\": \"");
        Quote(text, entry.Id.Value);
        text.Append(CultureInfo.InvariantCulture, $"\", \"arrival_time\": {entry.Arrival.ToUnixTimeSeconds()}");
        text.Append(CultureInfo.InvariantCulture, $", \"message_size\": {entry.Size}");
        text.Append(", \"forced_expire\": ").Append(entry.ForcedExpire ? "true" : "false");
        text.Append(", \"sender\": \"");
        Quote(text, entry.Sender);
        text.Append("\", \"recipients\": [");
        for (var i = 0; i < entry.Recipients.Count; i++)
        {
            if (i > 0)
                text.Append(", ");
            text.Append("{\"address\": \"");
            Quote(text, entry.Recipients[i].Address);
            text.Append('"');
            if (entry.Recipients[i].Reason.Length > 0)
            {
                text.Append(", \"delay_reason\": \"");
                Quote(text, entry.Recipients[i].Reason);
                text.Append('"');
            }
            text.Append('}');
        }
        text.Append("]}\n");
    }

    /// <summary>Postfix's json_quote: short escapes for common controls, \u00XX for the rest, '\\' and '"' escaped, UTF-8 kept.</summary>
    public static void Quote(StringBuilder text, string value)
    {
        foreach (var c in value)
        {
            switch (c)
            {
                case '\b': text.Append("\\b"); break;
                case '\f': text.Append("\\f"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                case '\\': text.Append("\\\\"); break;
                case '"': text.Append("\\\""); break;
                default:
                    if (c < 0x20 || c == 0x7f)
                        text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
                    else
                        text.Append(c);
                    break;
            }
        }
    }
}
