using Mta.Config;

namespace Mta.Delivery.Notices;

/// <summary>
/// What bounce(8) reads from main.cf, bound once (Postfix's bounce.c CONFIG_*_TABLE): who notices come from and
/// go to, which postmaster copies are sent, how much of the original is returned, and the template texts' times.
/// </summary>
public sealed record NoticeSettings
{
    /// <summary>myhostname: Reporting-MTA, the MIME boundary, Received:, Message-Id:, the template's $myhostname.</summary>
    public required string MyHostname { get; init; }

    /// <summary>myorigin: completes MAILER-DAEMON and postmaster as cleanup(8) would (append_at_myorigin).</summary>
    public required string MyOrigin { get; init; }

    /// <summary>mail_name: Received: "(Postfix)" and the X-Postfix-* field names.</summary>
    public required string MailName { get; init; }

    /// <summary>syslog_name: log lines are tagged "$syslog_name/bounce".</summary>
    public required string SyslogName { get; init; }

    /// <summary>bounce_notice_recipient: gets the header copy of non-delivery notices (notify_classes bounce).</summary>
    public required string BounceNoticeRecipient { get; init; }

    /// <summary>2bounce_notice_recipient: gets undeliverable notices (notify_classes bounce or 2bounce).</summary>
    public required string DoubleBounceNoticeRecipient { get; init; }

    /// <summary>delay_notice_recipient: gets the header copy of delay warnings (notify_classes delay).</summary>
    public required string DelayNoticeRecipient { get; init; }

    /// <summary>error_notice_recipient: protocol/policy/software/resource notices (smtpd's; kept here so one record names them all).</summary>
    public required string ErrorNoticeRecipient { get; init; }

    /// <summary>notify_classes.</summary>
    public required NotifyClasses NotifyClasses { get; init; }

    /// <summary>bounce_size_limit: a larger original is returned as headers only (text/rfc822-headers).</summary>
    public required int BounceSizeLimit { get; init; }

    /// <summary>double_bounce_sender (local part): the sender of postmaster notices; its own failures are discarded.</summary>
    public required string DoubleBounceSender { get; init; }

    /// <summary>delay_warning_time: the delay template's $delay_warning_time_hours.</summary>
    public required TimeSpan DelayWarningTime { get; init; }

    /// <summary>maximal_queue_lifetime: $maximal_queue_lifetime_days and Will-Retry-Until.</summary>
    public required TimeSpan MaximalQueueLifetime { get; init; }

    /// <summary>header_from_format = standard: "Mail Delivery System &lt;MAILER-DAEMON@...&gt;"; obsolete: "MAILER-DAEMON@... (Mail Delivery System)".</summary>
    public required bool StandardFromFormat { get; init; }

    /// <summary>smtputf8_enable: notices are declared 8bit (Postfix's fix 20140718).</summary>
    public required bool Smtputf8Enable { get; init; }

    /// <summary>enable_threaded_bounces: References:/In-Reply-To: the original Message-Id.</summary>
    public required bool ThreadedBounces { get; init; }

    /// <summary>The templates: Postfix's built-ins, or those bounce_template_file replaces.</summary>
    public NoticeTemplateSet Templates { get; init; } = NoticeTemplateSet.BuiltIn;

    /// <summary>Warnings from loading bounce_template_file (logged by the notifier, as bounce(8) logs them).</summary>
    public IReadOnlyList<string> TemplateWarnings { get; init; } = [];

    /// <summary>Expands any other main.cf parameter a template file names ($name); null when undefined.</summary>
    public Func<string, string?>? LookupParameter { get; init; }

    /// <summary>The full double-bounce address, as mail_addr_double_bounce(): double_bounce_sender@myhostname.</summary>
    public string DoubleBounceAddress =>
        DoubleBounceSender.Contains('@') ? DoubleBounceSender : $"{DoubleBounceSender}@{MyHostname}";

    /// <summary>The bounce program name for log lines, e.g. "postfix/bounce".</summary>
    public string ProgramName => $"{SyslogName}/bounce";

    /// <summary>Binds every bounce(8) parameter once.</summary>
    public static NoticeSettings From(ParameterSet parameters)
    {
        var templateFile = parameters.Get(ParameterCatalogue.BounceTemplateFile);
        var warnings = new List<string>();
        var templates = templateFile.Length == 0 ? NoticeTemplateSet.BuiltIn : NoticeTemplateFile.Load(templateFile, warnings);
        return Bind(parameters) with
        {
            Templates = templates,
            TemplateWarnings = warnings,
            LookupParameter = name => parameters.IsDefined(name) ? parameters.Expand(name) : null,
        };
    }

    private static NoticeSettings Bind(ParameterSet parameters) => new()
    {
        MyHostname = parameters.Get(ParameterCatalogue.MyHostname),
        MyOrigin = parameters.Get(ParameterCatalogue.MyOrigin),
        MailName = parameters.Get(ParameterCatalogue.MailName),
        SyslogName = parameters.Get(ParameterCatalogue.SyslogName),
        BounceNoticeRecipient = parameters.Get(ParameterCatalogue.BounceNoticeRecipient),
        DoubleBounceNoticeRecipient = parameters.Get(ParameterCatalogue.TwobounceNoticeRecipient),
        DelayNoticeRecipient = parameters.Get(ParameterCatalogue.DelayNoticeRecipient),
        ErrorNoticeRecipient = parameters.Get(ParameterCatalogue.ErrorNoticeRecipient),
        NotifyClasses = NotifyClassesParser.Parse(parameters.Get(ParameterCatalogue.NotifyClasses),
            parameters.Expand(ParameterCatalogue.NotifyClasses.Name)),
        BounceSizeLimit = parameters.Get(ParameterCatalogue.BounceSizeLimit),
        DoubleBounceSender = parameters.Get(ParameterCatalogue.DoubleBounceSender),
        DelayWarningTime = parameters.Get(ParameterCatalogue.DelayWarningTime),
        MaximalQueueLifetime = parameters.Get(ParameterCatalogue.MaximalQueueLifetime),
        StandardFromFormat = !string.Equals(parameters.Get(ParameterCatalogue.HeaderFromFormat), "obsolete", StringComparison.OrdinalIgnoreCase),
        Smtputf8Enable = parameters.Get(ParameterCatalogue.Smtputf8Enable),
        ThreadedBounces = parameters.Get(ParameterCatalogue.EnableThreadedBounces),
    };
}
