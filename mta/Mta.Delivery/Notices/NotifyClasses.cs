namespace Mta.Delivery.Notices;

/// <summary>
/// notify_classes: which problems the postmaster hears about (Postfix's mail_error masks). bounce(8) reads
/// <see cref="Bounce"/>, <see cref="DoubleBounce"/> and <see cref="Delay"/>; the others belong to smtpd and cleanup.
/// </summary>
[Flags]
public enum NotifyClasses
{
    None = 0,
    /// <summary>"bounce": a header copy of every non-delivery notice (also enables double bounces).</summary>
    Bounce = 1 << 0,
    /// <summary>"2bounce": undeliverable notices go to 2bounce_notice_recipient.</summary>
    DoubleBounce = 1 << 1,
    Data = 1 << 2,
    /// <summary>"delay": a header copy of every delay warning.</summary>
    Delay = 1 << 3,
    Policy = 1 << 4,
    Protocol = 1 << 5,
    Resource = 1 << 6,
    Software = 1 << 7,
}
