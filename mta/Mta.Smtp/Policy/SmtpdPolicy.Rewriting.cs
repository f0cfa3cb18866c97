using Mta.Config.Lists;

namespace Mta.Smtp.Policy;

/// <summary>The cleanup(8) hooks of <see cref="ISmtpPolicy"/>: canonical and virtual alias rewriting, always_bcc.</summary>
public sealed partial class SmtpdPolicy
{
    private AddressRewriter? _rewriter;

    /// <summary>cleanup's envelope rewriting with this policy's tables.</summary>
    public AddressRewriter Rewriter => _rewriter ??= new AddressRewriter(new AddressRewriterSettings
    {
        MyOrigin = _s.MyOrigin ?? _s.MyHostname,
        CanonicalMaps = _canonicalMaps,
        SenderCanonicalMaps = _senderCanonicalMaps,
        RecipientCanonicalMaps = _recipientCanonicalMaps,
        VirtualAliasMaps = _virtualAliasMaps,
        VirtualAliasRecursionLimit = _s.VirtualAliasRecursionLimit,
        VirtualAliasExpansionLimit = _s.VirtualAliasExpansionLimit,
        PropagateCanonical = Propagates("canonical"),
        PropagateVirtual = Propagates("virtual"),
        SwapBangpath = _s.SwapBangpath,
        AllowPercentHack = _s.AllowPercentHack,
    }, _finder, _log);

    /// <exception cref="AddressRewriteException">A table failed; answer with its reply.</exception>
    public ValueTask<string> RewriteSenderAsync(SessionInfo session, string sender, CancellationToken cancellationToken) =>
        Rewriter.RewriteSenderAsync(sender, cancellationToken);

    /// <exception cref="AddressRewriteException">A table failed or alias expansion went too deep or too wide.</exception>
    public ValueTask<IReadOnlyList<string>> RewriteRecipientAsync(SessionInfo session, string recipient,
        CancellationToken cancellationToken) =>
        Rewriter.RewriteRecipientAsync(recipient, cancellationToken);

    /// <summary>always_bcc and sender_bcc_maps (looked up with the rewritten sender), plus BCC actions from access maps.</summary>
    public async ValueTask<IReadOnlyList<string>> AddedRecipientsAsync(SessionInfo session, string sender,
        CancellationToken cancellationToken)
    {
        var added = new List<string>();
        if (_s.AlwaysBcc.Length > 0)
            added.Add(Rewriter.CanonicalForm(_s.AlwaysBcc));
        var senderBccMaps = Maps(_s.SenderBccMaps);
        if (sender.Length > 0 && senderBccMaps.Count > 0
            && await _finder.FindAsync(senderBccMaps, sender, AddressLookupStrategy.Default, cancellationToken) is { } bcc)
            added.Add(Rewriter.CanonicalForm(bcc.Value.Trim()));
        added.AddRange(MessageActions(session).Bcc);
        return added.Distinct(StringComparer.OrdinalIgnoreCase).ToList();
    }

    private bool Propagates(string what) =>
        ConfigList.Split(_s.PropagateUnmatchedExtensions).Contains(what, StringComparer.OrdinalIgnoreCase);
}
