using Mta.Config;
using Mta.Config.Lists;
using C = Mta.Config.ParameterCatalogue;

namespace Mta.Delivery.Local;

/// <summary>The parameters local(8) reads (its CONFIG_*_TABLE), bound once when the agent is built.</summary>
public sealed record LocalSettings
{
    public required IReadOnlyList<string> AliasMaps { get; init; }
    public required IReadOnlyList<string> LocalRecipientMaps { get; init; }
    public required ExpansionType CommandsAllowedFrom { get; init; }
    public required ExpansionType FilesAllowedFrom { get; init; }
    public required DeliveredHeaderMask PrependDeliveredHeader { get; init; }
    public required bool PropagateExtensionsToAliases { get; init; }
    public required bool PropagateExtensionsToIncludes { get; init; }
    public required bool PropagateExtensionsToForward { get; init; }
    public required bool OwnerRequestSpecial { get; init; }
    public required bool ExpandOwnerAlias { get; init; }
    public required bool ResetOwnerAlias { get; init; }
    public required string RecipientDelimiter { get; init; }
    public required string MyOrigin { get; init; }
    public required IReadOnlyList<string> MyDestination { get; init; }
    public required string HomeMailbox { get; init; }
    public required string MailSpoolDirectory { get; init; }
    public required string MailboxTransport { get; init; }
    public required IReadOnlyList<string> MailboxTransportMaps { get; init; }
    public required string MailboxCommand { get; init; }
    public required string FallbackTransport { get; init; }
    public required IReadOnlyList<string> FallbackTransportMaps { get; init; }
    public required string LuserRelay { get; init; }
    public required string ForwardPath { get; init; }
    public required TimeSpan CommandTimeLimit { get; init; }
    public required string LocalCommandShell { get; init; }
    public required string CommandExecutionDirectory { get; init; }
    public required string CommandExpansionFilter { get; init; }
    public required long MailboxSizeLimit { get; init; }
    public required MailboxLockSettings Locking { get; init; }

    /// <summary>Every other parameter, for $name in forward_path and command_execution_directory.</summary>
    public required ParameterSet Parameters { get; init; }

    public static LocalSettings Bind(ParameterSet p)
    {
        var propagate = p.Get(C.PropagateUnmatchedExtensions);
        return new LocalSettings
        {
            AliasMaps = p.Get(C.AliasMaps),
            LocalRecipientMaps = p.Get(C.LocalRecipientMaps),
            CommandsAllowedFrom = ExpansionTypes.Parse(p.Get(C.AllowMailToCommands)),
            FilesAllowedFrom = ExpansionTypes.Parse(p.Get(C.AllowMailToFiles)),
            PrependDeliveredHeader = DeliveredHeaderMasks.Parse(p.Get(C.PrependDeliveredHeader)),
            PropagateExtensionsToAliases = HasWord(propagate, "alias"),
            PropagateExtensionsToIncludes = HasWord(propagate, "include"),
            PropagateExtensionsToForward = HasWord(propagate, "forward"),
            OwnerRequestSpecial = p.Get(C.OwnerRequestSpecial),
            ExpandOwnerAlias = p.Get(C.ExpandOwnerAlias),
            ResetOwnerAlias = p.Get(C.ResetOwnerAlias),
            RecipientDelimiter = p.Get(C.RecipientDelimiter),
            MyOrigin = p.Get(C.MyOrigin),
            MyDestination = p.Get(C.MyDestination),
            HomeMailbox = p.Get(C.HomeMailbox),
            MailSpoolDirectory = p.Get(C.MailSpoolDirectory),
            MailboxTransport = p.Get(C.MailboxTransport),
            MailboxTransportMaps = p.Get(C.MailboxTransportMaps),
            // Raw, as Postfix reads them (CONFIG_RAW_TABLE): $names are left to the shell or to local_expand().
            MailboxCommand = p.GetRaw(C.MailboxCommand.Name) ?? "",
            ForwardPath = p.GetRaw(C.ForwardPath.Name) ?? C.ForwardPath.DefaultText,
            CommandTimeLimit = p.Get(C.CommandTimeLimit),
            LocalCommandShell = p.Get(C.LocalCommandShell),
            FallbackTransport = p.Get(C.FallbackTransport),
            FallbackTransportMaps = p.Get(C.FallbackTransportMaps),
            LuserRelay = p.GetRaw(C.LuserRelay.Name) ?? "",
            CommandExecutionDirectory = p.GetRaw(C.CommandExecutionDirectory.Name) ?? "",
            CommandExpansionFilter = p.Get(C.CommandExpansionFilter),
            MailboxSizeLimit = p.Get(C.MailboxSizeLimit),
            Locking = MailboxLockSettings.Bind(p, p.Get(C.MailboxDeliveryLock)),
            Parameters = p,
        };
    }

    private static bool HasWord(string list, string word) =>
        ConfigList.Split(list).Any(w => w.Equals(word, StringComparison.OrdinalIgnoreCase));
}
