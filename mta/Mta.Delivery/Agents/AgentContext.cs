using Mta.Config;
using Mta.Config.MasterCf;
using Mta.Queue;
using Mta.Smtp;

namespace Mta.Delivery.Agents;

/// <summary>
/// What every agent is built from: its master.cf service, the parameters with that service's -o overrides applied,
/// where its log lines go, and the queue (local needs it to forward alias members to remote addresses).
/// </summary>
/// <param name="Service">The master.cf entry (its name is the transport name).</param>
/// <param name="Parameters">main.cf plus the service's -o overrides.</param>
/// <param name="Log">Postfix-shaped log output.</param>
/// <param name="Queue">The queue store (re-injection of forwarded mail).</param>
public sealed record AgentContext(MasterService Service, ParameterSet Parameters, IMailLog Log, IMailQueue Queue)
{
    /// <summary>The service's syslog tag, e.g. "postfix/smtp" ($syslog_name/$process_name).</summary>
    public string ProgramName => $"{Parameters.Get(ParameterCatalogue.SyslogName)}/{Service.ProcessName}";
}
