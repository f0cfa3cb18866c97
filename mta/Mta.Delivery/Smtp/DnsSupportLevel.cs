namespace Mta.Delivery.Smtp;

/// <summary>smtp_dns_support_level (empty: decided by disable_dns_lookups).</summary>
public enum DnsSupportLevel
{
    /// <summary>No DNS at all: no MX lookups, host names resolved with the native resolver.</summary>
    Disabled,
    /// <summary>MX and address lookups through DNS.</summary>
    Enabled,
    /// <summary>As Enabled; DNSSEC validation is not implemented here (treated as Enabled).</summary>
    Dnssec,
}
