using Mta.Config;
using Mta.Config.Lists;
using C = Mta.Config.ParameterCatalogue;

namespace Mta.Delivery.Local;

/// <summary>
/// How a mailbox file is locked (mailbox_delivery_lock / virtual_mailbox_lock: any of fcntl, flock, dotlock) and
/// how hard to try (deliver_lock_attempts, deliver_lock_delay, stale_lock_time), as mbox_open(3) does.
/// </summary>
public sealed record MailboxLockSettings(bool Fcntl, bool Flock, bool DotLock, int Attempts, TimeSpan Delay, TimeSpan StaleLockTime)
{
    public static MailboxLockSettings Bind(ParameterSet p, string methods)
    {
        bool fcntl = false, flock = false, dotlock = false;
        foreach (var word in ConfigList.Split(methods))
        {
            switch (word.ToLowerInvariant())
            {
                case "fcntl": fcntl = true; break;
                case "flock": flock = true; break;
                case "dotlock": dotlock = true; break;
                default: throw new ConfigException($"unsupported lock method: {word}");
            }
        }
        return new MailboxLockSettings(fcntl, flock, dotlock,
            p.Get(C.DeliverLockAttempts), p.Get(C.DeliverLockDelay), p.Get(C.StaleLockTime));
    }
}
