using Mta.Config;
using Mta.Config.Tables;
using Mta.Smtp.Policy;
using C = Mta.Config.ParameterCatalogue;

namespace Mta.Delivery.Routing;

/// <summary>Binds <see cref="RoutingSettings"/> from main.cf once, at start and on reload, through the typed catalogue.</summary>
public static class RoutingSettingsBinder
{
    /// <exception cref="ConfigException">A domain list names an unusable table or file.</exception>
    public static RoutingSettings Bind(ParameterSet p, LookupTableFactory? tables = null)
    {
        ResolverSettings resolver;
        try
        {
            resolver = PolicySettingsBinder.BindResolver(p, tables ?? LookupTableFactory.Shared);
        }
        catch (TableLookupException e)
        {
            throw new ConfigException(e.Message);
        }
        return new RoutingSettings
        {
            Resolver = resolver,
            MyHostname = p.Get(C.MyHostname),
            MyOrigin = p.Get(C.MyOrigin),
            MyDomain = p.Get(C.MyDomain),
            AppendAtMyorigin = p.Get(C.AppendAtMyorigin),
            AppendDotMydomain = p.Get(C.AppendDotMydomain),
            LocalTransport = p.Get(C.LocalTransport),
            VirtualTransport = p.Get(C.VirtualTransport),
            RelayTransport = p.Get(C.RelayTransport),
            DefaultTransport = p.Get(C.DefaultTransport),
            Relayhost = p.Get(C.Relayhost),
            TransportMaps = p.Get(C.TransportMaps),
            TransportMapsParentStyle = p.ParentDomainMatchesSubdomains(C.TransportMaps.Name),
            RelocatedMaps = p.Get(C.RelocatedMaps),
            RelocatedPrefixEnable = p.Get(C.RelocatedPrefixEnable),
            RecipientDelimiter = p.Get(C.RecipientDelimiter),
            AllowMinUser = p.Get(C.AllowMinUser),
            ShowUserUnknownTableName = p.Get(C.ShowUserUnknownTableName),
            ConfigDirectory = p.Get(C.ConfigDirectory),
        };
    }
}
