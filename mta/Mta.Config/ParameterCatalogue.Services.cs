namespace Mta.Config;

// Service-defined parameters (postconf_service.c): a master.cf service that runs a delivery agent gets
// per-transport knobs named <service><suffix> whose default is "$<global parameter>".
public static partial class ParameterCatalogue
{
    // Suffix and the global parameter it defaults to, in Postfix's order.
    private static readonly (string Suffix, Parameter Global)[] DeliveryServiceSuffixes =
    [
        ("_recipient_limit", DefaultRecipientLimit),
        ("_extra_recipient_limit", DefaultExtraRecipientLimit),
        ("_recipient_refill_limit", DefaultRecipientRefillLimit),
        ("_recipient_refill_delay", DefaultRecipientRefillDelay),
        ("_delivery_slot_cost", DefaultDeliverySlotCost),
        ("_delivery_slot_loan", DefaultDeliverySlotLoan),
        ("_delivery_slot_discount", DefaultDeliverySlotDiscount),
        ("_minimum_delivery_slots", DefaultMinimumDeliverySlots),
        ("_initial_destination_concurrency", InitialDestinationConcurrency),
        ("_destination_concurrency_limit", DefaultDestinationConcurrencyLimit),
        ("_destination_recipient_limit", DefaultDestinationRecipientLimit),
        ("_destination_concurrency_positive_feedback", DefaultDestinationConcurrencyPositiveFeedback),
        ("_destination_concurrency_negative_feedback", DefaultDestinationConcurrencyNegativeFeedback),
        ("_destination_concurrency_failed_cohort_limit", DefaultDestinationConcurrencyFailedCohortLimit),
        ("_destination_rate_delay", DefaultDestinationRateDelay),
        ("_transport_rate_delay", DefaultTransportRateDelay),
    ];

    /// <summary>The programs (master.cf command column) whose services get the delivery knobs.</summary>
    public static readonly IReadOnlySet<string> DeliveryAgentPrograms =
        new HashSet<string>(StringComparer.Ordinal) { "local", "error", "virtual", "smtp", "lmtp", "pipe" };

    /// <summary>
    /// The parameters a master.cf service defines: for delivery agents (local, error, virtual, smtp, lmtp)
    /// the per-transport scheduling knobs; pipe(8) also gets <c>&lt;service&gt;_time_limit = $command_time_limit</c>,
    /// spawn(8) only that. A name that is already built in (local_destination_concurrency_limit = 2) keeps its own
    /// default and is not returned.
    /// </summary>
    public static IEnumerable<Parameter> ServiceParameters(string serviceName, string program)
    {
        if (program is "pipe" or "spawn")
            foreach (var p in Derived(serviceName, "_time_limit", CommandTimeLimit))
                yield return p;
        if (program == "spawn" || !DeliveryAgentPrograms.Contains(program))
            yield break;
        foreach (var (suffix, global) in DeliveryServiceSuffixes)
            foreach (var p in Derived(serviceName, suffix, global))
                yield return p;
    }

    private static IEnumerable<Parameter> Derived(string serviceName, string suffix, Parameter global)
    {
        var name = serviceName + suffix;
        if (Find(name) is null)
            yield return global with { Name = name, DefaultText = "$" + global.Name };
    }
}
