using Mta.Config.Lists;

namespace Mta.Delivery.Local;

/// <summary>
/// deliver_dotforward(): the first existing file of forward_path ($home/.forward+ext, $home/.forward) lists the
/// user's destinations. They are expanded with the user as owner, so other local users are forwarded as new mail,
/// and the user itself (listed as "user" or "\user") gets its mailbox. The file's owner is not checked (no setuid here).
/// </summary>
public sealed class DotForwardReader(LocalSettings settings)
{
    public async ValueTask<bool> TryDeliverAsync(RecipientJob job, ExpansionState state, LocalRecipientExpander expander,
        CancellationToken ct)
    {
        if (!job.FirstTime($"forward {state.User}"))
            return false;
        foreach (var pattern in ConfigList.Split(settings.ForwardPath))
        {
            var path = LocalAttributes.Expand(pattern, state, settings);
            if (path is null || !File.Exists(path))
                continue;
            string[] lines;
            try
            {
                lines = await File.ReadAllLinesAsync(path, ct);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            var members = lines.Where(l => !l.StartsWith('#')).SelectMany(AliasValueTokenizer.Split).ToList();
            if (members.Count == 0)
                continue;
            var forwardState = state with
            {
                ExpansionType = ExpansionType.Forward,
                Owner = state.User,
                ExpandedFrom = state.Local,
                Unmatched = settings.PropagateExtensionsToForward ? state.Unmatched : null,
            };
            foreach (var member in members)
                await expander.DeliverTokenAsync(job, forwardState, member, ct);
            return true;
        }
        return false;
    }
}
