using Mta.Config;

namespace Mta.Delivery.Notices;

/// <summary>Parses notify_classes as Postfix's name_mask() does: case-insensitive names, fatal on an unknown one.</summary>
public static class NotifyClassesParser
{
    private static readonly (string Name, NotifyClasses Value)[] Names =
    [
        ("bounce", NotifyClasses.Bounce), ("2bounce", NotifyClasses.DoubleBounce), ("data", NotifyClasses.Data),
        ("delay", NotifyClasses.Delay), ("policy", NotifyClasses.Policy), ("protocol", NotifyClasses.Protocol),
        ("resource", NotifyClasses.Resource), ("software", NotifyClasses.Software),
    ];

    public static NotifyClasses Parse(IReadOnlyList<string> names, string rawText)
    {
        var mask = NotifyClasses.None;
        foreach (var name in names)
        {
            var match = Array.FindIndex(Names, n => string.Equals(n.Name, name, StringComparison.OrdinalIgnoreCase));
            if (match < 0)
                throw new ConfigException($"unknown {ParameterCatalogue.NotifyClasses.Name} value \"{name}\" in \"{rawText}\"");
            mask |= Names[match].Value;
        }
        return mask;
    }
}
