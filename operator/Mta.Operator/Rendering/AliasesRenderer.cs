using System.Text;
using Mta.Operator.Api;

namespace Mta.Operator.Rendering;

/// <summary>
/// Inline aliases as a texthash: table (postmap(1) input format, "name value" lines), the form alias_maps can read
/// without an indexing step; sorted so the config hash does not depend on map order.
/// </summary>
public static class AliasesRenderer
{
    public static string? Render(MailServerSpec spec)
    {
        if (spec.Aliases?.ConfigMapRef is not null || spec.Aliases?.Entries is not { Count: > 0 } entries)
            return null;

        var text = new StringBuilder("# Rendered by mta-operator from spec.aliases.entries.\n");
        foreach (var (name, value) in entries.OrderBy(e => e.Key, StringComparer.Ordinal))
            text.Append(name).Append(' ').Append(value).Append('\n');
        return text.ToString();
    }
}
