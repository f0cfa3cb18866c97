namespace Mta.Delivery.Notices;

/// <summary>The three notices bounce(8) writes (Postfix's failure, delay and success templates).</summary>
public enum NoticeKind
{
    /// <summary>Non-delivery: "Undelivered Mail Returned to Sender", Action: failed.</summary>
    Failure,
    /// <summary>Delay warning: "Delayed Mail (still being retried)", Action: delayed, Will-Retry-Until.</summary>
    Delay,
    /// <summary>NOTIFY=SUCCESS report: "Successful Mail Delivery Report", Action: delivered or relayed.</summary>
    Success,
}
