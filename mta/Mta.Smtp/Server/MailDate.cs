using System.Globalization;

namespace Mta.Smtp.Server;

/// <summary>RFC 5322 dates as Postfix's mail_date() writes them: "Wed, 25 Nov 2026 22:44:49 +0000 (UTC)".</summary>
public static class MailDate
{
    public static string Format(DateTimeOffset time, TimeZoneInfo? zone = null)
    {
        zone ??= TimeZoneInfo.Local;
        var local = TimeZoneInfo.ConvertTime(time, zone);
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        var abbreviation = zone.Id is "UTC" or "Etc/UTC" ? "UTC" : zone.IsDaylightSavingTime(local) ? zone.DaylightName : zone.StandardName;
        return string.Create(CultureInfo.InvariantCulture,
            $"{local:ddd, d MMM yyyy HH:mm:ss} {sign}{abs.Hours:00}{abs.Minutes:00} ({abbreviation})");
    }
}
