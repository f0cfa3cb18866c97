using System.Globalization;
using System.Text.RegularExpressions;

namespace Mta.Delivery.Notices;

/// <summary>
/// One bounce template (bounce(5)): the Subject: lines and the human-readable text. These are Postfix's
/// built-in texts (bounce_templates.c), word for word, because scripts and users recognise them.
/// </summary>
/// <param name="Kind">Which notice it is for.</param>
/// <param name="Subject">Subject: of the notice to the sender.</param>
/// <param name="PostmasterSubject">Subject: of the postmaster copy (null: the template has none and uses <paramref name="Subject"/>).</param>
/// <param name="Lines">The text, one entry per line, with $name macros.</param>
public sealed partial record NoticeTemplate(NoticeKind Kind, string Subject, string? PostmasterSubject, IReadOnlyList<string> Lines)
{
    /// <summary>A From: set by bounce_template_file; null keeps the built-in one chosen by header_from_format.</summary>
    public string? From { get; init; }

    /// <summary>The text's charset (bounce(5) "Charset:"); us-ascii for the built-ins.</summary>
    public string Charset { get; init; } = "us-ascii";

    /// <summary>Where the template came from, for warnings: "[built-in]" or the template file's path.</summary>
    public string Origin { get; init; } = "[built-in]";

    /// <summary>Text outside US-ASCII makes the notice 8bit even when nothing else does.</summary>
    public bool HasEightBitText => Lines.Any(l => !System.Text.Ascii.IsValid(l));

    /// <summary>The template's name in bounce(5) files and messages: failure, delay, success.</summary>
    public string ClassName => Kind.ToString().ToLowerInvariant();

    public static readonly NoticeTemplate Failure = new(NoticeKind.Failure,
        "Undelivered Mail Returned to Sender", "Postmaster Copy: Undelivered Mail",
    [
        "This is the mail system at host $myhostname.",
        "",
        "I'm sorry to have to inform you that your message could not",
        "be delivered to one or more recipients. It's attached below.",
        "",
        "For further assistance, please send mail to postmaster.",
        "",
        "If you do so, please include this problem report. You can",
        "delete your own text from the attached returned message.",
        "",
        "                   The mail system",
    ]);

    public static readonly NoticeTemplate Delay = new(NoticeKind.Delay,
        "Delayed Mail (still being retried)", "Postmaster Warning: Delayed Mail",
    [
        "This is the mail system at host $myhostname.",
        "",
        "####################################################################",
        "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #",
        "####################################################################",
        "",
        "Your message could not be delivered for more than $delay_warning_time_hours hour(s).",
        "It will be retried until it is $maximal_queue_lifetime_days day(s) old.",
        "",
        "For further assistance, please send mail to postmaster.",
        "",
        "If you do so, please include this problem report. You can",
        "delete your own text from the attached returned message.",
        "",
        "                   The mail system",
    ]);

    public static readonly NoticeTemplate Success = new(NoticeKind.Success,
        "Successful Mail Delivery Report", null,
    [
        "This is the mail system at host $myhostname.",
        "",
        "Your message was successfully delivered to the destination(s)",
        "listed below. If the message was delivered to mailbox you will",
        "receive no further notifications. Otherwise you may still receive",
        "notifications of mail delivery errors from other systems.",
        "",
        "                   The mail system",
    ]);

    /// <summary>The Subject: for a notice to the sender or a postmaster copy.</summary>
    public string SubjectFor(bool postmasterCopy) => postmasterCopy && PostmasterSubject is not null ? PostmasterSubject : Subject;

    /// <summary>
    /// The text with $name and ${name} expanded. As in bounce_template.c, delay_warning_time and
    /// maximal_queue_lifetime take a _seconds/_minutes/_hours/_days/_weeks suffix and are divided (integer) into
    /// that unit; other names are looked up in the configuration.
    /// </summary>
    public IEnumerable<string> Expand(NoticeSettings settings) => Lines.Select(line => MacroPattern().Replace(line, m =>
    {
        var name = m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["bare"].Value;
        return Lookup(settings, name) ?? throw new InvalidOperationException($"{Origin}: undefined $name in {ClassName} template: {line}");
    }));

    private string? Lookup(NoticeSettings settings, string name)
    {
        foreach (var (parameter, value) in new[] { ("delay_warning_time", settings.DelayWarningTime), ("maximal_queue_lifetime", settings.MaximalQueueLifetime) })
        {
            if (!name.StartsWith(parameter + "_", StringComparison.Ordinal)) continue;
            long divisor = name[(parameter.Length + 1)..] switch
            {
                "seconds" => 1, "minutes" => 60, "hours" => 3600, "days" => 86400, "weeks" => 604800,
                var suffix => throw new InvalidOperationException($"{Origin}: unrecognized suffix \"{suffix}\" in parameter \"{name}\""),
            };
            return ((long)value.TotalSeconds / divisor).ToString(CultureInfo.InvariantCulture);
        }
        return name switch
        {
            "myhostname" => settings.MyHostname,
            "myorigin" => settings.MyOrigin,
            "mail_name" => settings.MailName,
            // A template file may name any main.cf parameter (mail_conf_lookup_eval()).
            _ => settings.LookupParameter?.Invoke(name),
        };
    }

    [GeneratedRegex(@"\$(?:\{(?<braced>[A-Za-z0-9_]+)\}|(?<bare>[A-Za-z0-9_]+))")]
    private static partial Regex MacroPattern();
}
