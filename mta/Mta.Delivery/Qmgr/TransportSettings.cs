using Mta.Config;

namespace Mta.Delivery.Qmgr;

/// <summary>
/// One transport's scheduling knobs (Postfix's per-transport <c>&lt;service&gt;_destination_*</c> parameters,
/// which default to the <c>default_destination_*</c> ones) and the syslog tag its delivery lines are logged with.
/// </summary>
/// <param name="InitialConcurrency">&lt;service&gt;_initial_destination_concurrency: where a destination's window starts.</param>
/// <param name="ConcurrencyLimit">&lt;service&gt;_destination_concurrency_limit: the most parallel deliveries per destination (0 in Postfix: none; here int.MaxValue).</param>
/// <param name="RecipientLimit">&lt;service&gt;_destination_recipient_limit: recipients per delivery (1 makes each recipient its own destination).</param>
/// <param name="RateDelay">&lt;service&gt;_destination_rate_delay: pause between deliveries to one destination (non-zero implies concurrency 1).</param>
/// <param name="ProcessLimit">Parallel deliveries over the whole transport: default_process_limit here; set it to the service's master.cf maxproc (0: no limit).</param>
/// <param name="ProgramName">"$syslog_name/$process_name" of the service, e.g. "postfix/smtp" or "postfix/relay/smtp".</param>
public sealed record TransportSettings(
    int InitialConcurrency,
    int ConcurrencyLimit,
    int RecipientLimit,
    TimeSpan RateDelay,
    int ProcessLimit,
    string ProgramName)
{
    /// <summary>
    /// Reads the knobs of master.cf service <paramref name="serviceName"/> from its parameters (main.cf plus the
    /// service's -o overrides; MasterService.Apply sets process_name, else the service name is the process name).
    /// The names are service-defined, so they are built here the way postconf_service.c derives them.
    /// </summary>
    public static TransportSettings From(ParameterSet parameters, string serviceName)
    {
        int limit = Derived(parameters, serviceName, "_destination_concurrency_limit", ParameterCatalogue.DefaultDestinationConcurrencyLimit);
        if (limit == 0) limit = int.MaxValue;
        string rateName = serviceName + "_destination_rate_delay";
        var rateDelay = parameters.Get(ParameterCatalogue.Find(rateName) as TimeParameter
            ?? ParameterCatalogue.DefaultDestinationRateDelay with { Name = rateName, DefaultText = "$" + ParameterCatalogue.DefaultDestinationRateDelay.Name });
        if (rateDelay > TimeSpan.Zero) limit = 1;
        int initial = Math.Clamp(
            Derived(parameters, serviceName, "_initial_destination_concurrency", ParameterCatalogue.InitialDestinationConcurrency), 1, limit);
        int recipients = Derived(parameters, serviceName, "_destination_recipient_limit", ParameterCatalogue.DefaultDestinationRecipientLimit);
        string process = parameters.IsSet("process_name") ? parameters.Expand("process_name") : serviceName;
        return new TransportSettings(
            initial,
            limit,
            recipients == 0 ? int.MaxValue : recipients,
            rateDelay,
            parameters.Get(ParameterCatalogue.DefaultProcessLimit),
            $"{parameters.Get(ParameterCatalogue.SyslogName)}/{process}");
    }

    /// <summary>
    /// A built-in name (local_destination_recipient_limit = 1) keeps its own default; any other service's name
    /// defaults to "$global", exactly as ParameterCatalogue.ServiceParameters declares it.
    /// </summary>
    private static int Derived(ParameterSet parameters, string serviceName, string suffix, IntParameter global)
    {
        string name = serviceName + suffix;
        var parameter = ParameterCatalogue.Find(name) as IntParameter ?? global with { Name = name, DefaultText = "$" + global.Name };
        return parameters.Get(parameter);
    }
}
