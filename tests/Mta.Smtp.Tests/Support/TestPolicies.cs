namespace Mta.Smtp.Tests.Support;

/// <summary>Permits everything and rewrites nothing (until the real policy is merged in).</summary>
public class PermitAllPolicy : ISmtpPolicy
{
    public virtual ValueTask<PolicyVerdict> CheckClientAsync(SessionInfo session, CancellationToken cancellationToken) => new(PolicyVerdict.Permit);
    public virtual ValueTask<PolicyVerdict> CheckHeloAsync(SessionInfo session, string heloName, CancellationToken cancellationToken) => new(PolicyVerdict.Permit);
    public virtual ValueTask<PolicyVerdict> CheckSenderAsync(SessionInfo session, string sender, CancellationToken cancellationToken) => new(PolicyVerdict.Permit);
    public virtual ValueTask<PolicyVerdict> CheckRecipientAsync(SessionInfo session, string sender, string recipient, CancellationToken cancellationToken) => new(PolicyVerdict.Permit);
    public virtual ValueTask<PolicyVerdict> CheckVerifyAsync(SessionInfo session, string address, CancellationToken cancellationToken) => new(PolicyVerdict.Permit);
    public virtual ValueTask<PolicyVerdict> CheckEtrnAsync(SessionInfo session, string domain, CancellationToken cancellationToken) => new(PolicyVerdict.Permit);
    public virtual ValueTask<PolicyVerdict> CheckDataAsync(SessionInfo session, string sender, IReadOnlyList<string> recipients, CancellationToken cancellationToken) => new(PolicyVerdict.Permit);
    public virtual ValueTask<PolicyVerdict> CheckEndOfDataAsync(SessionInfo session, string sender, IReadOnlyList<string> recipients, long messageSize, CancellationToken cancellationToken) => new(PolicyVerdict.Permit);
    public virtual ValueTask<string> RewriteSenderAsync(SessionInfo session, string sender, CancellationToken cancellationToken) => new(sender);
    public virtual ValueTask<IReadOnlyList<string>> RewriteRecipientAsync(SessionInfo session, string recipient, CancellationToken cancellationToken) => new([recipient]);
    public virtual ValueTask<IReadOnlyList<string>> AddedRecipientsAsync(SessionInfo session, string sender, CancellationToken cancellationToken) => new([]);
    public virtual PolicyMessageActions SavedMessageActions(SessionInfo session) => PolicyMessageActions.None;
}

/// <summary>Accepts recipients in one local domain only, like reject_unauth_destination for an outside client.</summary>
public sealed class RejectRelayPolicy(string localDomain) : PermitAllPolicy
{
    public override ValueTask<PolicyVerdict> CheckRecipientAsync(SessionInfo session, string sender, string recipient, CancellationToken cancellationToken) =>
        new(recipient.EndsWith("@" + localDomain, StringComparison.OrdinalIgnoreCase) || session.IsAuthenticated
            ? PolicyVerdict.Permit
            : PolicyVerdict.Reject(554, "5.7.1", $"<{recipient}>: Relay access denied"));
}
