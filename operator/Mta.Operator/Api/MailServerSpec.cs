using System.Text.Json.Serialization;

namespace Mta.Operator.Api;

/// <summary>
/// What the user asks for. Properties with an initializer carry the same default as the CRD schema
/// (a test checks both agree); nullable properties without one are optional and have no schema default.
/// </summary>
public sealed class MailServerSpec
{
    /// <summary>myhostname; the renderer uses "mail.{domain}" when unset.</summary>
    [JsonPropertyName("hostname")]
    public string? Hostname { get; set; }

    /// <summary>mydomain: the one domain this server is for.</summary>
    [JsonPropertyName("domain")]
    [JsonRequired]
    public required string Domain { get; set; }

    /// <summary>mydestination; the renderer uses "$myhostname, localhost.$mydomain, localhost, $mydomain" when unset.</summary>
    [JsonPropertyName("destinations")]
    public List<string>? Destinations { get; set; }

    /// <summary>mynetworks (CIDR or address list); unset means Postfix's default from mynetworks_style.</summary>
    [JsonPropertyName("mynetworks")]
    public List<string>? Mynetworks { get; set; }

    /// <summary>relayhost, e.g. "[smtp.example.net]:587".</summary>
    [JsonPropertyName("relayhost")]
    public string? Relayhost { get; set; }

    /// <summary>relay_domains.</summary>
    [JsonPropertyName("relayDomains")]
    public List<string>? RelayDomains { get; set; }

    [JsonPropertyName("tls")]
    public TlsSpec? Tls { get; set; }

    [JsonPropertyName("sasl")]
    public SaslSpec? Sasl { get; set; }

    [JsonPropertyName("aliases")]
    public AliasesSpec? Aliases { get; set; }

    [JsonPropertyName("mainCf")]
    public MainCfOverrides? MainCf { get; set; }

    [JsonPropertyName("masterCf")]
    public MasterCfOverrides? MasterCf { get; set; }

    [JsonPropertyName("smtpd")]
    public SmtpdTierSpec Smtpd { get; set; } = new();

    [JsonPropertyName("qmgr")]
    public QmgrTierSpec Qmgr { get; set; } = new();

    [JsonPropertyName("delivery")]
    public DeliveryTierSpec Delivery { get; set; } = new();

    /// <summary>Defaults to a managed Redis.</summary>
    [JsonPropertyName("redis")]
    public RedisSpec Redis { get; set; } = new() { Managed = new() };

    [JsonPropertyName("mailboxStorage")]
    public MailboxStorageSpec? MailboxStorage { get; set; }

    [JsonPropertyName("monitoring")]
    public MonitoringSpec Monitoring { get; set; } = new();

    [JsonPropertyName("image")]
    public ImageSpec Image { get; set; } = new();

    /// <summary>compatibility_level written into main.cf.</summary>
    [JsonPropertyName("compatibilityLevel")]
    public string CompatibilityLevel { get; set; } = "3.11";
}
