using Mta.Operator.Api;

namespace Mta.Operator.Controller;

/// <summary>Condition bookkeeping: lastTransitionTime moves only when a condition's status flips.</summary>
public static class Conditions
{
    public static List<MailServerCondition> Merge(IReadOnlyList<MailServerCondition>? existing, IEnumerable<DesiredCondition> desired, long? generation, DateTime now)
    {
        var result = new List<MailServerCondition>();
        foreach (var d in desired)
        {
            var old = existing?.FirstOrDefault(c => c.Type == d.Type);
            result.Add(new MailServerCondition
            {
                Type = d.Type,
                Status = d.Status,
                Reason = d.Reason,
                Message = d.Message,
                LastTransitionTime = old is not null && old.Status == d.Status ? old.LastTransitionTime : now,
                ObservedGeneration = generation,
            });
        }
        return result;
    }

    public static MailServerCondition? Find(MailServerStatus? status, string type) => status?.Conditions?.FirstOrDefault(c => c.Type == type);

    public static bool IsTrue(MailServerStatus? status, string type) => Find(status, type)?.Status == "True";
}
