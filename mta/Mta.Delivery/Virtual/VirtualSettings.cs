using Mta.Config;
using Mta.Delivery.Local;
using C = Mta.Config.ParameterCatalogue;

namespace Mta.Delivery.Virtual;

/// <summary>The parameters virtual(8) reads, bound once when the agent is built.</summary>
public sealed record VirtualSettings(
    string MailboxBase,
    IReadOnlyList<string> MailboxMaps,
    long MailboxLimit,
    MailboxLockSettings Locking,
    string RecipientDelimiter)
{
    public static VirtualSettings Bind(ParameterSet p) => new(
        p.Get(C.VirtualMailboxBase),
        p.Get(C.VirtualMailboxMaps),
        p.Get(C.VirtualMailboxLimit),
        MailboxLockSettings.Bind(p, p.Get(C.VirtualMailboxLock)),
        p.Get(C.RecipientDelimiter));
}
