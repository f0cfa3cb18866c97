namespace Mta.Operator.Rendering;

/// <summary>The three pod roles; each runs the same entry point with its own master.cf.</summary>
public enum Tier
{
    Smtpd,
    Qmgr,
    Delivery,
}

public static class TierNames
{
    /// <summary>The component label value and object name suffix.</summary>
    public static string Name(this Tier tier) => tier switch
    {
        Tier.Smtpd => "smtpd",
        Tier.Qmgr => "qmgr",
        Tier.Delivery => "delivery",
        _ => throw new ArgumentOutOfRangeException(nameof(tier)),
    };

    public static IReadOnlyList<Tier> All { get; } = [Tier.Smtpd, Tier.Qmgr, Tier.Delivery];
}
