using System.Globalization;
using System.Net.Sockets;
using Mta.Queue;

namespace Mta.Smtp.Server;

/// <summary>The header lines smtpd and cleanup write themselves: Received:, and the missing Message-Id:/Date:/From:.</summary>
public static class CleanupHeaders
{
    /// <summary>smtpd's Received: header (smtpd.c common_pre_message_handling), CRLF-terminated lines.</summary>
    internal static string Received(SessionInfo info, SmtpdSettings settings, QueueId id, IReadOnlyList<string> recipients, DateTimeOffset arrival)
    {
        var address = info.ClientAddress.IsIPv4MappedToIPv6 ? info.ClientAddress.MapToIPv4() : info.ClientAddress;
        var rfcAddress = address.AddressFamily == AddressFamily.InterNetworkV6 ? $"IPv6:{address}" : address.ToString();
        var esmtp = info.Protocol == "ESMTP";
        var with = info.Protocol + (esmtp && info.TlsActive ? "S" : "") + (esmtp && info.IsAuthenticated ? "A" : "");
        var sb = new System.Text.StringBuilder();
        sb.Append("Received: from ").Append(info.HeloName ?? info.ClientName)
          .Append(" (").Append(info.ClientName).Append(" [").Append(rfcAddress).Append("])\r\n");
        if (settings.TlsReceivedHeader && info.TlsActive)
            sb.Append("\t(using ").Append(info.TlsProtocol).Append(" with cipher ").Append(info.TlsCipher).Append(")\r\n")
              .Append("\t(No client certificate requested)\r\n");
        sb.Append("\tby ").Append(settings.MyHostname).Append(" (").Append(settings.MailName).Append(") with ")
          .Append(with).Append(" id ").Append(id.Value);
        if (recipients.Count == 1)
            sb.Append("\r\n\tfor <").Append(recipients[0]).Append(">; ").Append(MailDate.Format(arrival)).Append("\r\n");
        else
            sb.Append(";\r\n\t").Append(MailDate.Format(arrival)).Append("\r\n");
        return sb.ToString();
    }

    /// <summary>cleanup's missing headers, in its order (Message-Id, Date, From), for local submissions.</summary>
    internal static string Missing(MessageContentWriter content, SmtpdSettings settings, QueueId id, string sender, DateTimeOffset arrival)
    {
        var sb = new System.Text.StringBuilder();
        if (!content.SawMessageId)
            sb.Append("Message-Id: <").Append(MessageIdValue(settings.MyHostname, id, arrival)).Append(">\r\n");
        if (!content.SawDate)
            sb.Append("Date: ").Append(MailDate.Format(arrival)).Append("\r\n");
        if (!content.SawFrom)
        {
            if (sender.Length == 0)
                sb.Append("From: MAILER-DAEMON@").Append(settings.MyHostname).Append(" (Mail Delivery System)\r\n");
            else
                sb.Append("From: ").Append(sender.Contains('@') ? sender : $"{sender}@{settings.MyOrigin}").Append("\r\n");
        }
        return sb.ToString();
    }

    /// <summary>"YYYYMMDDhhmmss.QUEUEID@myhostname", as cleanup generates it.</summary>
    public static string MessageIdValue(string myHostname, QueueId id, DateTimeOffset arrival) =>
        string.Create(CultureInfo.InvariantCulture, $"{arrival.UtcDateTime:yyyyMMddHHmmss}.{id.Value}@{myHostname}");
}
