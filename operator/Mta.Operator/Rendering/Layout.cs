namespace Mta.Operator.Rendering;

/// <summary>Paths and ports inside every mta pod: written once, used by main.cf, master.cf and the pod spec alike.</summary>
public static class Layout
{
    public const string ConfigDirectory = "/etc/mta";
    public const string TlsDirectory = "/etc/mta-secrets/tls";
    public const string SaslDirectory = "/etc/mta-secrets/sasl";
    public const string ExternalAliasesDirectory = "/etc/mta-aliases";
    public const string QueueDirectory = "/var/spool/mta";
    public const string DataDirectory = "/var/lib/mta";
    public const string MailDirectory = "/var/mail";

    /// <summary>The image's non-root user (uid and gid).</summary>
    public const long UserId = 65532;

    /// <summary>Unprivileged container ports (no NET_BIND_SERVICE); the Service maps 25/587/465 onto them.</summary>
    public const int SmtpContainerPort = 2525;
    public const int SubmissionContainerPort = 2587;
    public const int SubmissionsContainerPort = 2465;

    /// <summary>Prometheus /metrics of every mta pod (MTA_METRICS_PORT).</summary>
    public const int MetricsPort = 9100;

    public const int RedisPort = 6379;

    /// <summary>smtpd_timeout (300 s) plus room for the last reply: how long a draining smtpd may take.</summary>
    public const long DrainingGraceSeconds = 330;

    public const string ConfigHashAnnotation = "mta.dev/config-hash";
    public const string FieldManager = "mta-operator";

    /// <summary>The one entry point every pod runs (DESIGN.md "One entry point everywhere").</summary>
    public static IReadOnlyList<string> Command { get; } = ["mta", "postfix", "-c", ConfigDirectory, "start-fg"];
}
