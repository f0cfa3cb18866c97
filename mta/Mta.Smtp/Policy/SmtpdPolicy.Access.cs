using Mta.Config.Lists;
using Mta.Config.Tables;

namespace Mta.Smtp.Policy;

/// <summary>Access maps (access(5)): the lookup orders of check_*_access and what each action does (check_table_result).</summary>
public sealed partial class SmtpdPolicy
{
    private const string LookupErrorAction = "451 4.3.5 Server configuration error";

    private readonly record struct AccessResult(CheckStatus Status, bool Found);

    /// <summary>check_access: one lookup of one key.</summary>
    private async ValueTask<AccessResult> CheckAccessAsync(CheckState st, string table, string key, bool partial,
        string replyName, string replyClass, string? defaultAccessCheck, CancellationToken ct)
    {
        string? value;
        try
        {
            var map = _tables.Open(table);
            value = partial && !map.IsFixed ? null : await map.LookupAsync(key, ct);
        }
        catch (TableLookupException e)
        {
            _log($"warning: {e.Message}");
            value = LookupErrorAction;
        }
        return value is null
            ? new AccessResult(CheckStatus.Dunno, false)
            : new AccessResult(await CheckTableResultAsync(st, table, value, key, replyName, replyClass, defaultAccessCheck, ct), true);
    }

    /// <summary>check_domain_access: the name, then (fixed tables only) its parent domains; a numeric name is looked up once.</summary>
    private async ValueTask<AccessResult> CheckDomainAccessAsync(CheckState st, string table, string domain,
        string replyName, string replyClass, string? defaultAccessCheck, CancellationToken ct)
    {
        var name = domain;
        var partial = false;
        while (true)
        {
            var result = await CheckAccessAsync(st, table, name, partial, replyName, replyClass, defaultAccessCheck, ct);
            if (result.Found)
                return result;
            if (!partial && AddressText.IsValidHostAddress(domain))
                break;
            var dot = name.IndexOf('.', 1);
            if (dot < 0)
                break;
            name = _accessParentStyle ? name[(dot + 1)..] : name[dot..];
            partial = true;
        }
        return new AccessResult(CheckStatus.Dunno, false);
    }

    /// <summary>check_addr_access: "1.2.3.4", then "1.2.3", "1.2", "1" (IPv6 by ':' fields).</summary>
    private async ValueTask<AccessResult> CheckAddressAccessAsync(CheckState st, string table, string address,
        string replyName, string replyClass, string? defaultAccessCheck, CancellationToken ct)
    {
        var delimiter = address.Contains(':') ? ':' : '.';
        var key = address;
        var partial = false;
        while (key.Length > 0)
        {
            var result = await CheckAccessAsync(st, table, key, partial, replyName, replyClass, defaultAccessCheck, ct);
            if (result.Found)
                return result;
            var cut = key.LastIndexOf(delimiter);
            if (cut < 0)
                break;
            key = key[..cut];
            partial = true;
        }
        return new AccessResult(CheckStatus.Dunno, false);
    }

    /// <summary>check_namadr_access: the client name (and parents), then the client address (and prefixes).</summary>
    private async ValueTask<CheckStatus> CheckNameAddressAccessAsync(CheckState st, string table, string name,
        string address, string replyName, string replyClass, string? defaultAccessCheck, CancellationToken ct)
    {
        var byName = await CheckDomainAccessAsync(st, table, name, replyName, replyClass, defaultAccessCheck, ct);
        if (byName.Status != CheckStatus.Dunno || byName.Found)
            return byName.Status;
        return (await CheckAddressAccessAsync(st, table, address, replyName, replyClass, defaultAccessCheck, ct)).Status;
    }

    /// <summary>
    /// check_mail_access: the resolved address looked up as user+ext@domain, user@domain, domain (and parents),
    /// user+ext@, user@. An OK for a recipient with sender-specified routing counts as DUNNO (no relay by access map).
    /// </summary>
    private async ValueTask<CheckStatus> CheckMailAccessAsync(CheckState st, string table, string address,
        string replyName, string replyClass, string? defaultAccessCheck, CancellationToken ct)
    {
        var resolved = await ResolveAsync(address, ct);
        string? value;
        try
        {
            value = (await _finder.FindAsync([_tables.Open(table)], resolved.Recipient, _accessStrategy, ct))?.Value;
        }
        catch (TableLookupException e)
        {
            _log($"warning: {e.Message}");
            value = LookupErrorAction;
        }
        if (value is null)
            return CheckStatus.Dunno;
        var status = await CheckTableResultAsync(st, table, value, resolved.Recipient, replyName, replyClass, defaultAccessCheck, ct);
        var suspicious = !_s.AllowUntrustedRouting && resolved.IsRouted && replyClass == RecipientClass;
        return status == CheckStatus.Ok && suspicious ? CheckStatus.Dunno : status;
    }

    /// <summary>check_table_result: what an access map value means.</summary>
    private async ValueTask<CheckStatus> CheckTableResultAsync(CheckState st, string table, string value, string datum,
        string replyName, string replyClass, string? defaultAccessCheck, CancellationToken ct)
    {
        var split = value.IndexOfAny([' ', '\t']);
        var command = split < 0 ? value : value[..split];
        var text = split < 0 ? "" : value[split..].TrimStart();
        bool Is(string word) => command.Equals(word, StringComparison.OrdinalIgnoreCase);

        if (Is("DUNNO"))
            return CheckStatus.Dunno;
        if (Is("REJECT") || Is("DEFER"))
        {
            var reject = Is("REJECT");
            var (dsn, reason) = SplitDsn(reject ? "5.7.1" : "4.7.1", text);
            return Reject(st, ErrorClass.Policy, reject ? _s.AccessMapRejectCode : _s.AccessMapDeferCode,
                FixDsn(dsn, replyClass), $"<{replyName}>: {replyClass} rejected: {(reason.Length > 0 ? reason : "Access denied")}");
        }
        if (Is("DEFER_IF_PERMIT") || Is("DEFER_IF_REJECT"))
        {
            var (dsn, reason) = SplitDsn("4.7.1", text);
            var message = $"<{replyName}>: {replyClass} rejected: {(reason.Length > 0 ? reason : "Service unavailable")}";
            if (Is("DEFER_IF_PERMIT"))
                return DeferIfPermit(st, true, _s.AccessMapDeferCode, FixDsn(dsn, replyClass), message);
            st.DeferIfReject.Raise(ErrorClass.Policy, _s.AccessMapDeferCode, FixDsn(dsn, replyClass), message);
            return CheckStatus.Dunno;
        }
        if (Is("INFO") || Is("WARN"))
        {
            LogWhatsup(st, command.ToLowerInvariant(), text);
            return CheckStatus.Dunno;
        }
        if (Is("HOLD"))
        {
            LogWhatsup(st, "hold", $"<{replyName}>: {replyClass} {(text.Length > 0 ? text : "triggers HOLD action")}");
            st.Saved.Hold = true;
            return CheckStatus.Dunno;
        }
        if (Is("DISCARD"))
        {
            LogWhatsup(st, "discard", $"<{replyName}>: {replyClass} {(text.Length > 0 ? text : "triggers DISCARD action")}");
            st.Saved.Discard = true;
            st.Discard = true;
            return CheckStatus.Ok;
        }
        if (Is("FILTER"))
        {
            if (!text.Contains(':'))
            {
                _log($"warning: access table {table} entry \"{datum}\" requires transport:destination");
                return CheckStatus.Dunno;
            }
            LogWhatsup(st, "filter", $"<{replyName}>: {replyClass} triggers FILTER {text}");
            st.Saved.Filter = text;
            return CheckStatus.Dunno;
        }
        if (Is("REDIRECT") || Is("BCC"))
        {
            if (!text.Contains('@'))
            {
                _log($"warning: access table {table} entry \"{datum}\" requires user@domain target");
                return CheckStatus.Dunno;
            }
            LogWhatsup(st, command.ToLowerInvariant(), $"<{replyName}>: {replyClass} triggers {command.ToUpperInvariant()} {text}");
            if (Is("REDIRECT")) st.Saved.Redirect = text;
            else st.Saved.Bcc.Add(text);
            return CheckStatus.Dunno;
        }
        if (Is("PREPEND"))
        {
            if (text.Length == 0 || !text.Contains(':'))
            {
                _log($"warning: access table {table} entry \"{datum}\" requires header: text");
                return CheckStatus.Dunno;
            }
            st.Saved.Prepend.Add(text);
            return CheckStatus.Dunno;
        }
        if (value.All(char.IsAsciiDigit))
            return CheckStatus.Ok;
        if (command.Length == 3 && text.Length > 0 && command[0] is '4' or '5'
            && char.IsAsciiDigit(command[1]) && char.IsAsciiDigit(command[2]))
        {
            var (dsn, reason) = SplitDsn($"{command[0]}.7.1", text);
            return Reject(st, ErrorClass.Policy, int.Parse(command), FixDsn(dsn, replyClass),
                $"<{replyName}>: {replyClass} rejected: {(reason.Length > 0 ? reason : "Access denied")}");
        }
        if (Is("OK") || Is("RELAY"))
            return CheckStatus.Ok;
        if (value.Contains(':'))
        {
            _log($"warning: access table {table} has entry with lookup table: {value}");
            _log("warning: do not specify lookup tables inside SMTPD access maps");
            _log("warning: define a restriction class and specify its name instead.");
            ServerError(st);
        }
        if (st.Recursion > 100)
        {
            _log($"warning: access table {table} entry {value} causes unreasonable recursion");
            ServerError(st);
        }
        var restrictions = ConfigList.Split(value);
        if (restrictions.Count == 0)
            return CheckStatus.Ok;
        return await GenericChecksAsync(st, restrictions, replyName, replyClass, defaultAccessCheck, ct);
    }

    /// <summary>dsn_split(3): an optional leading "X.Y.Z " in the text overrides the default status.</summary>
    private static (string Dsn, string Text) SplitDsn(string defaultDsn, string text)
    {
        var space = text.IndexOf(' ');
        var head = space < 0 ? text : text[..space];
        if (head.Length > 0 && IsValidDsn(head) && head[0] is '4' or '5')
            return (head, space < 0 ? "" : text[(space + 1)..].TrimStart());
        return (defaultDsn, text);
    }

    /// <summary>smtpd_dsn_fix: an address status (X.1.Y) is mapped to the sender or recipient form being rejected.</summary>
    private string FixDsn(string dsn, string replyClass)
    {
        if (dsn.Length < 5 || dsn[1..4] != ".1.")
            return dsn;
        var detail = dsn[4..];
        string result;
        if (replyClass == SenderClass)
            result = detail switch { "2" or "8" => "4.1.8", "3" or "7" => "4.1.7", "5" => "4.1.0", _ => "4.1.0" };
        else if (replyClass == RecipientClass)
            result = detail switch
            {
                "1" => "4.1.1", "2" or "8" => "4.1.2", "3" or "7" => "4.1.3", "4" => "4.1.4", "5" => "4.1.5", "6" => "4.1.6",
                _ => "4.1.0",
            };
        else
            result = "4.0.0";
        return dsn[0] + result[1..];
    }
}
