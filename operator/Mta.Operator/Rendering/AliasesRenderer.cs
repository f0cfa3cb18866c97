using System.Text;
using Mta.Operator.Api;

namespace Mta.Operator.Rendering;

/// <summary>Inline aliases as an aliases(5) file, sorted so the config hash does not depend on map order.</summary>
public static class AliasesRenderer
{
    public static string? Render(MailServerSpec spec)
    {
        if (spec.Aliases?.ConfigMapRef is not null || spec.Aliases?.Entries is not { Count: > 0 } entries)
            return null;

        var text = new StringBuilder("# Rendered by mta-operator from spec.aliases.entries.\n");
        foreach (var (name, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            text.Append(name).Append(": ").Append(value).Append('\n');
        return text.ToString();
    }
}
