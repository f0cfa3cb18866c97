using k8s;
using k8s.Models;
using Microsoft.Extensions.Logging;
using Mta.Operator.Api;

namespace Mta.Operator.Controller;

/// <summary>Writes events.k8s.io/v1 Events about a MailServer. Failures are logged, never fatal: events are best effort.</summary>
public sealed class EventRecorder(IKubernetes kube, string reportingInstance, TimeProvider time, ILogger logger)
{
    public const string ReportingController = "mta.dev/mta-operator";

    public const string Normal = "Normal";
    public const string Warning = "Warning";

    public async Task RecordAsync(MailServer ms, string type, string reason, string action, string note, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var ev = new Eventsv1Event
        {
            Metadata = new V1ObjectMeta { GenerateName = ms.Metadata.Name + ".", NamespaceProperty = ms.Metadata.NamespaceProperty },
            EventTime = now,
            ReportingController = ReportingController,
            ReportingInstance = reportingInstance,
            Action = action,
            Reason = reason,
            Note = note.Length > 1024 ? note[..1024] : note,
            Type = type,
            Regarding = new V1ObjectReference
            {
                ApiVersion = MailServer.GroupVersion, Kind = MailServer.EntityKind, Name = ms.Metadata.Name,
                NamespaceProperty = ms.Metadata.NamespaceProperty, Uid = ms.Metadata.Uid, ResourceVersion = ms.Metadata.ResourceVersion,
            },
        };
        try
        {
            await kube.EventsV1.CreateNamespacedEventAsync(ev, ms.Metadata.NamespaceProperty, cancellationToken: ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logger.LogWarning("Event {Reason} for MailServer {Namespace}/{Name} was not recorded: {Error}", reason, ms.Metadata.NamespaceProperty, ms.Metadata.Name, e.Message);
        }
    }
}
