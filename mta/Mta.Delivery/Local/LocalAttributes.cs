using Mta.Config.Expansion;

namespace Mta.Delivery.Local;

/// <summary>
/// local_expand(3): $name expansion in forward_path, command_execution_directory and mailbox_command with the
/// delivery attributes ($user, $home, $shell, $recipient, $extension, $domain, $local, $recipient_delimiter,
/// $mailbox) before main.cf parameters. An attribute without a value is undefined, so a path that uses it is skipped.
/// </summary>
public static class LocalAttributes
{
    /// <summary>The expansion, or null when it used an undefined attribute or was malformed.</summary>
    public static string? Expand(string pattern, ExpansionState state, LocalSettings settings)
    {
        var result = MacroExpander.Expand(pattern, name => Lookup(name, state, settings), recursive: false);
        return result.IsError || result.UndefinedNames.Count > 0 ? null : result.Text;
    }

    private static string? Lookup(string name, ExpansionState state, LocalSettings settings)
    {
        string? value = name switch
        {
            "user" or "mailbox" => state.User,
            "home" => state.UserAttributes?.Home,
            "shell" => state.UserAttributes?.Shell,
            "recipient" => state.Address,
            "extension" => state.Extension,
            "domain" => state.Domain,
            "local" => state.Local,
            "recipient_delimiter" => state.DelimiterUsed?.ToString(),
            _ => settings.Parameters.IsDefined(name) ? settings.Parameters.Expand(name) : null,
        };
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
