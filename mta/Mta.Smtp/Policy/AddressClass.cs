namespace Mta.Smtp.Policy;

/// <summary>Postfix's address classes (ADDRESS_CLASS_README): which domain list the recipient domain matched.</summary>
public enum AddressClass
{
    /// <summary>mydestination, inet_interfaces or proxy_interfaces (address literals).</summary>
    Local,
    /// <summary>virtual_alias_domains.</summary>
    VirtualAlias,
    /// <summary>virtual_mailbox_domains.</summary>
    VirtualMailbox,
    /// <summary>relay_domains.</summary>
    Relay,
    /// <summary>Everything else.</summary>
    Default,
}

/// <summary>resolve_clnt(3) reply flags.</summary>
[Flags]
public enum ResolveFlags
{
    None = 0,
    /// <summary>The local part still holds routing operators (@, ! or %): sender-specified routing.</summary>
    Routed = 1,
    /// <summary>The domain is malformed (bad host name or address literal).</summary>
    Error = 2,
}

/// <summary>The result of resolving a recipient: the final user@domain (internal form), its class and flags.</summary>
public sealed record ResolvedAddress(string Recipient, AddressClass Class, ResolveFlags Flags)
{
    public string Domain => AddressText.DomainOf(Recipient);

    /// <summary>Local, virtual alias or virtual mailbox: mail for this address ends here (RESOLVE_CLASS_FINAL).</summary>
    public bool IsFinal => Class is AddressClass.Local or AddressClass.VirtualAlias or AddressClass.VirtualMailbox;

    public bool IsRouted => (Flags & ResolveFlags.Routed) != 0;
    public bool IsError => (Flags & ResolveFlags.Error) != 0;
}
