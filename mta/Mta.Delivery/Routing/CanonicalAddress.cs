using Mta.Smtp.Policy;

namespace Mta.Delivery.Routing;

/// <summary>
/// rewrite_clnt_internal("local", address) as cleanup applies it to an envelope recipient in internal form: the
/// address is quoted first, so a local part that needs quoting is one opaque string (no source route, '!' or '%'
/// is undone inside it), otherwise site!user becomes user@site (swap_bangpath) and user%domain user@domain
/// (allow_percent_hack); an address without a domain gets @$myorigin (append_at_myorigin), a dotless domain
/// ".$mydomain" (append_dot_mydomain), and a single trailing dot is removed.
/// </summary>
public sealed class CanonicalAddress(RoutingSettings settings)
{
    public string Rewrite(string address)
    {
        if (address.Length == 0)
            return address;
        var (local, domain) = AddressText.Split(address);
        if (domain is null)
        {
            var opaque = AddressText.NeedsQuoting(local);
            int bang, percent;
            if (!opaque && settings.Resolver.SwapBangpath && (bang = local.IndexOf('!')) >= 0)
                (local, domain) = (local[(bang + 1)..], local[..bang]);
            else if (!opaque && settings.Resolver.AllowPercentHack && (percent = local.LastIndexOf('%')) >= 0)
                (local, domain) = (local[..percent], local[(percent + 1)..]);
            else if (settings.AppendAtMyorigin && settings.MyOrigin.Length > 0)
                domain = settings.MyOrigin;
            else
                return address;
        }
        // rewrite_tree looks for a '.' before it strips the trailing one: "user@host." keeps its dotless host.
        if (settings.AppendDotMydomain && settings.MyDomain.Length > 0 && domain.Length > 0
            && !domain.StartsWith('[') && !domain.Contains('.'))
            domain = domain + "." + settings.MyDomain;
        if (domain.Length >= 2 && domain[^1] == '.' && domain[^2] != '.')
            domain = domain[..^1];
        return local + "@" + domain;
    }
}
