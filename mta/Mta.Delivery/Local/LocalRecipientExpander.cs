using Mta.Config.Tables;
using Mta.Queue;

namespace Mta.Delivery.Local;

/// <summary>
/// local(8)'s delivery switch for one recipient (recipient.c, alias.c, token.c, resolve.c, include.c): loop and
/// nesting checks, aliases (full local part, then without the extension), owner- lists, :include: files,
/// .forward files, then the mailbox; unknown users bounce. Destinations found along the way go to
/// <see cref="LocalDestinations"/> (files, commands, mailboxes) or become forwarded mail.
/// </summary>
public sealed class LocalRecipientExpander(
    LocalSettings settings,
    IReadOnlyList<ILookupTable> aliasMaps,
    LocalUserDirectory users,
    LocalDomainMatcher localDomains,
    LocalDestinations destinations,
    Action<string> warn)
{
    private const int NestingLimit = 100;

    /// <summary>deliver_recipient(): one address, at the top or found by an expansion.</summary>
    public async ValueTask DeliverRecipientAsync(RecipientJob job, ExpansionState state, CancellationToken ct)
    {
        state = state.Deeper();
        if (state.Level > NestingLimit)
        {
            warn($"recipient nesting limit exceeded for {state.Address}");
            job.Report(state, RecipientOutcome.Bounced("5.4.6", "recipient nesting limit exceeded"));
            return;
        }
        if (!job.FirstTime($"recipient {state.Level} {state.Address}"))
            return;
        if (job.Loop.Contains(state.Address))
        {
            job.Report(state, RecipientOutcome.Bounced("5.4.6", $"mail forwarding loop for {state.Address}"));
            return;
        }
        state = WithAddressParts(state with { Delivered = state.Delivered ?? state.Address });
        if (state.User.Length == 0)
        {
            job.Report(state, RecipientOutcome.Bounced("5.1.3", $"null username in \"{state.Address}\""));
            return;
        }
        await SwitchAsync(job, state, ct);
    }

    private ExpansionState WithAddressParts(ExpansionState state)
    {
        var local = state.Address.ToLowerInvariant();
        string? domain = null;
        var at = local.LastIndexOf('@');
        if (at >= 0)
        {
            domain = local[(at + 1)..];
            local = local[..at];
        }
        else
            warn($"no @ in recipient address: {local}");
        string user = local;
        string? extension = null;
        char? delimiter = null;
        if (settings.RecipientDelimiter.Length > 0)
        {
            var split = local.IndexOfAny(settings.RecipientDelimiter.ToCharArray());
            // Postfix keeps "owner-x" and "x-request" whole when a delimiter is "-" (split_addr()).
            if (split > 0 && !IsSpecialName(local, split))
            {
                user = local[..split];
                extension = local[(split + 1)..];
                delimiter = local[split];
                if (extension.Contains('/'))
                {
                    warn($"address with illegal extension: {local}");
                    (local, extension, delimiter) = (user, null, null);
                }
            }
        }
        return state with
        {
            Local = local, User = user, Extension = extension, DelimiterUsed = delimiter, Domain = domain,
            Unmatched = extension,
        };
    }

    private static bool IsSpecialName(string local, int split) =>
        local[split] == '-' && (local.StartsWith("owner-", StringComparison.Ordinal) || local.EndsWith("-request", StringComparison.Ordinal));

    private async ValueTask SwitchAsync(RecipientJob job, ExpansionState state, CancellationToken ct)
    {
        state = state.Deeper() with { Unmatched = null };
        if (state.MailboxOnly)
        {
            await DeliverMailboxOrUnknownAsync(job, state, ct);
            return;
        }
        if (await TryAliasAsync(job, state, state.Local, ct))
            return;
        if (state.Extension is not null)
        {
            var viaUser = settings.PropagateExtensionsToAliases ? state with { Unmatched = state.Extension } : state;
            if (await TryAliasAsync(job, viaUser, state.User, ct))
                return;
            state = state with { Unmatched = state.Extension };
        }
        // Mail aliased or forwarded to another local user is re-queued, so each gets its own queue file status.
        if (state.Owner is not null && !string.Equals(state.Owner, state.User, StringComparison.OrdinalIgnoreCase))
        {
            Forward(job, state);
            return;
        }
        if (state.ExpansionType == ExpansionType.Include)
        {
            Forward(job, state);
            return;
        }
        await DeliverMailboxOrUnknownAsync(job, state, ct, tryDotForward: true);
    }

    // .forward (for UNIX users), then the mailbox; a name nobody knows bounces.
    private async ValueTask DeliverMailboxOrUnknownAsync(RecipientJob job, ExpansionState state, CancellationToken ct, bool tryDotForward = false)
    {
        var user = await users.FindAsync(state.User, state.Address, ct);
        if (user.Lookup is { } lookupError)
        {
            warn($"error looking up passwd info for {state.User}: {lookupError}");
            job.Report(state, RecipientOutcome.Deferred("4.0.0", "user lookup error"));
            return;
        }
        if (tryDotForward && user.Passwd is { } pw)
        {
            var userState = state with { UserAttributes = pw };
            if (await new DotForwardReader(settings).TryDeliverAsync(job, userState, this, ct))
                return;
        }
        if (user.Exists)
        {
            await destinations.DeliverToMailboxAsync(job, state, user, ct);
            return;
        }
        await DeliverUnknownAsync(job, state, ct);
    }

    /// <summary>deliver_unknown(): fallback_transport (not supported: defers), luser_relay, required names, else "unknown user".</summary>
    private async ValueTask DeliverUnknownAsync(RecipientJob job, ExpansionState state, CancellationToken ct)
    {
        if (settings.FallbackTransport.Length > 0 || settings.FallbackTransportMaps.Count > 0)
        {
            job.Report(state, RecipientOutcome.Deferred("4.3.5",
                "mail system configuration error: fallback_transport and fallback_transport_maps are not supported by this local delivery agent"));
            return;
        }
        if (settings.LuserRelay.Length > 0)
        {
            var relay = LocalAttributes.Expand(settings.LuserRelay, state, settings);
            if (relay is null)
            {
                warn($"bad luser_relay value: {settings.LuserRelay}");
                job.Report(state, RecipientOutcome.Deferred("4.3.5", "mail system configuration error"));
                return;
            }
            // One address: "|stuff" and "/stuff" get no special treatment here.
            await ResolveAsync(job, state with { Unmatched = null }, relay.Trim(), ct);
            return;
        }
        if (state.Local is "mailer-daemon" or "postmaster")
        {
            // RFC 5321 requires these names: without an alias the mail is tossed with a warning, never bounced.
            warn($"required alias not found: {state.Local}");
            job.Report(state, RecipientOutcome.Delivered("2.0.0", "discarded"));
            return;
        }
        job.Report(state, RecipientOutcome.Bounced("5.1.1", $"unknown user: \"{state.Local}\""));
    }

    /// <summary>deliver_alias(): true when the name is an alias (whatever then happened to its members).</summary>
    private async ValueTask<bool> TryAliasAsync(RecipientJob job, ExpansionState state, string name, CancellationToken ct)
    {
        state = state.Deeper();
        if (state.ExpandedFrom is not null && string.Equals(state.ExpandedFrom, name, StringComparison.OrdinalIgnoreCase))
            return false;
        if (state.Level > NestingLimit)
        {
            warn($"alias database loop for {name}");
            job.Report(state, RecipientOutcome.Bounced("5.4.6", $"alias database loop for {name}"));
            return true;
        }
        state = state with { ExpandedFrom = name };
        foreach (var table in aliasMaps)
        {
            string? value;
            try
            {
                value = await table.LookupAsync(name, ct);
            }
            catch (TableLookupException e)
            {
                warn(e.Message);
                job.Report(state, RecipientOutcome.Deferred("4.3.0", "alias database unavailable"));
                return true;
            }
            if (value is null)
                continue;
            state = state with { ExpansionType = ExpansionType.Alias };
            state = await WithOwnerAsync(state, name, ct);
            var members = AliasValueTokenizer.Split(value);
            if (members.Count == 0)
            {
                warn($"no recipient in alias lookup result for {name}");
                job.Report(state, RecipientOutcome.Deferred("4.3.0", "alias database unavailable"));
                return true;
            }
            foreach (var member in members)
                await DeliverTokenAsync(job, state, member, ct);
            return true;
        }
        return false;
    }

    // An owner-NAME alias makes owner-NAME@$myorigin the sender (and error recipient) of the list's expansion.
    private async ValueTask<ExpansionState> WithOwnerAsync(ExpansionState state, string name, CancellationToken ct)
    {
        if (settings.OwnerRequestSpecial)
        {
            var ownerName = "owner-" + name;
            foreach (var table in aliasMaps)
            {
                if (await table.LookupAsync(ownerName, ct) is { } ownerValue)
                {
                    var owner = Qualify(settings.ExpandOwnerAlias ? ownerValue.Trim() : ownerName);
                    return state with { Owner = owner, Sender = owner, OriginalRecipient = "", IsList = true };
                }
            }
        }
        return settings.ResetOwnerAlias ? state with { Owner = null } : state;
    }

    /// <summary>deliver_token(): one destination from an alias, :include: file or .forward file.</summary>
    public async ValueTask DeliverTokenAsync(RecipientJob job, ExpansionState state, string token, CancellationToken ct)
    {
        if (token.StartsWith('/'))
            await destinations.DeliverToFileAsync(job, state, token, ct);
        else if (token.StartsWith('~'))
            await DeliverHomeFileAsync(job, state, token, ct);
        else if (token.StartsWith('|'))
        {
            if ((settings.CommandsAllowedFrom & state.ExpansionType) == 0)
                job.Report(state, RecipientOutcome.Bounced("5.7.1", "mail to command is restricted"));
            else
                await destinations.DeliverToCommandAsync(job, state, token[1..].Trim(), ct);
        }
        else if (token.StartsWith(":include:", StringComparison.OrdinalIgnoreCase))
            await IncludeAsync(job, state, token[":include:".Length..].Trim(), ct);
        else
            await ResolveAsync(job, state, token, ct);
    }

    private async ValueTask DeliverHomeFileAsync(RecipientJob job, ExpansionState state, string token, CancellationToken ct)
    {
        if (token.Length < 2 || token[1] != '/')
            job.Report(state, RecipientOutcome.Bounced("5.0.0", $"bad home directory syntax for: {token}"));
        else if (state.UserAttributes?.Home is not { Length: > 0 } home)
            job.Report(state, RecipientOutcome.Bounced("5.0.0", $"unknown home directory for: {token}"));
        else
            await destinations.DeliverToFileAsync(job, state, home == "/" ? token[1..] : home + token[1..], ct);
    }

    /// <summary>deliver_resolve_tree(): an address; local ones recurse, others are forwarded.</summary>
    private async ValueTask ResolveAsync(RecipientJob job, ExpansionState state, string address, CancellationToken ct)
    {
        state = state.Deeper() with { MailboxOnly = address.StartsWith('\\') };
        address = Qualify(address.TrimStart('\\'));
        if (state.Unmatched is { Length: > 0 } ext && settings.RecipientDelimiter.Length > 0)
        {
            var at = address.LastIndexOf('@');
            address = address[..at] + settings.RecipientDelimiter[0] + ext + address[at..];
        }
        state = state with { Address = address };
        var domain = address[(address.LastIndexOf('@') + 1)..];
        if (await localDomains.IsLocalAsync(domain, ct))
            await DeliverRecipientAsync(job, state, ct);
        else
            Forward(job, state);
    }

    /// <summary>deliver_include(): the destinations listed in a file.</summary>
    private async ValueTask IncludeAsync(RecipientJob job, ExpansionState state, string path, CancellationToken ct)
    {
        state = state.Deeper();
        if (state.Level > NestingLimit)
        {
            warn($":include: nesting limit exceeded for {path}");
            job.Report(state, RecipientOutcome.Bounced("5.4.6", ":include: nesting limit exceeded"));
            return;
        }
        if (!job.FirstTime($"include {path}"))
            return;
        state = state with { ExpandedFrom = state.Local };
        var problem = !path.StartsWith('/') ? $":include:{path} uses a relative path"
            : Directory.Exists(path) ? $":include: file {path} is not a regular file"
            : !File.Exists(path) ? $"unable to lookup :include: file {path}: No such file or directory"
            : UnixFiles.IsWorldWritable(path) ? $":include: file {path} is world writable"
            : null;
        if (problem is not null)
        {
            warn(problem);
            job.Report(state, RecipientOutcome.Bounced("5.3.5", "mail system configuration error"));
            return;
        }
        state = state with
        {
            ExpansionType = ExpansionType.Include,
            Owner = state.Owner ?? state.Address,
            Unmatched = settings.PropagateExtensionsToIncludes ? state.Unmatched : null,
        };
        string[] lines;
        try
        {
            lines = await File.ReadAllLinesAsync(path, ct);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warn($"cannot open include file {path}: {e.Message}");
            job.Report(state, RecipientOutcome.Bounced("5.3.5", "mail system configuration error"));
            return;
        }
        foreach (var line in lines)
        {
            if (line.StartsWith('#'))
                continue;
            foreach (var member in AliasValueTokenizer.Split(line))
                await DeliverTokenAsync(job, state, member, ct);
        }
    }

    /// <summary>deliver_indirect(): queue the address as new mail (see <see cref="MessageForwarder"/>).</summary>
    private static void Forward(RecipientJob job, ExpansionState state)
    {
        var envelope = job.Recipient.Envelope;
        var notify = envelope.Notify == DsnNotify.Success ? DsnNotify.Never : envelope.Notify & ~DsnNotify.Success;
        var recipient = new Recipient(state.Address, state.OriginalRecipient.Length > 0 ? state.OriginalRecipient : null,
            state.IsList ? null : envelope.Orcpt, notify);
        job.Forwards.Add(new PendingForward(job.Recipient.Index, recipient, state.Sender, state.Delivered ?? job.Recipient.Address, !state.IsList));
    }

    // canon_addr_internal(): an unqualified name gets @$myorigin.
    private string Qualify(string address) => address.Contains('@') ? address : $"{address}@{settings.MyOrigin}";
}
