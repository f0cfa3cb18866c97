using k8s.Models;
using Mta.Operator.Api;

namespace Mta.Operator.Rendering;

/// <summary>The Deployment of one tier: same image and entry point everywhere, tier-specific mounts, ports and probes.</summary>
public static class DeploymentRenderer
{
    public static V1Deployment Render(ObjectFactory f, Tier tier, string configHash)
    {
        var spec = f.Owner.Spec;
        var (replicas, autoscaled, resources) = tier switch
        {
            Tier.Smtpd => (spec.Smtpd.Replicas, spec.Smtpd.IsAutoscaled, spec.Smtpd.Resources),
            Tier.Qmgr => (spec.Qmgr.Replicas, spec.Qmgr.IsAutoscaled, spec.Qmgr.Resources),
            _ => (spec.Delivery.Replicas, spec.Delivery.IsAutoscaled, spec.Delivery.Resources),
        };
        var component = tier.Name();

        var container = new V1Container
        {
            Name = component,
            Image = $"{spec.Image.Repository}:{spec.Image.Tag}",
            ImagePullPolicy = spec.Image.PullPolicy,
            Command = [.. Layout.Command],
            Env = Environment(f),
            Ports = Ports(spec, tier),
            Resources = PodSecurity.Resources(resources),
            SecurityContext = PodSecurity.Container(),
            VolumeMounts = Mounts(spec, tier),
            ReadinessProbe = ReadinessProbe(tier),
            LivenessProbe = LivenessProbe(tier),
            Lifecycle = new V1Lifecycle
            {
                // Let endpoint removal reach every proxy before the listener closes, then stop in order.
                PreStop = new V1LifecycleHandler
                {
                    Exec = new V1ExecAction { Command = ["/bin/sh", "-c", $"sleep 5; exec mta postfix -c {Layout.ConfigDirectory} stop"] },
                },
            },
        };

        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = f.Metadata(f.NameFor(component), component),
            Spec = new V1DeploymentSpec
            {
                // Whoever autoscales owns the replica count: leave it out of what is applied.
                Replicas = autoscaled ? null : replicas ?? 1,
                RevisionHistoryLimit = 5,
                Selector = new V1LabelSelector { MatchLabels = f.SelectorLabels(component) },
                Strategy = new V1DeploymentStrategy
                {
                    Type = "RollingUpdate",
                    RollingUpdate = new V1RollingUpdateDeployment { MaxSurge = "25%", MaxUnavailable = 0 },
                },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = f.Labels(component),
                        Annotations = new Dictionary<string, string> { [Layout.ConfigHashAnnotation] = configHash },
                    },
                    Spec = new V1PodSpec
                    {
                        AutomountServiceAccountToken = false,
                        EnableServiceLinks = false,
                        SecurityContext = PodSecurity.Pod(Layout.UserId),
                        TerminationGracePeriodSeconds = tier == Tier.Qmgr ? 60 : Layout.DrainingGraceSeconds,
                        Containers = [container],
                        Volumes = Volumes(f, tier),
                    },
                },
            },
        };
    }

    private static List<V1EnvVar> Environment(ObjectFactory f)
    {
        var env = new List<V1EnvVar>
        {
            new() { Name = "POD_NAME", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.name" } } },
            new() { Name = "POD_NAMESPACE", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "metadata.namespace" } } },
            new() { Name = "MTA_METRICS_PORT", Value = Layout.MetricsPort.ToString() },
        };
        if (f.Owner.Spec.Redis.External?.PasswordSecretRef is { } password)
        {
            env.Add(new V1EnvVar
            {
                Name = "MTA_REDIS_PASSWORD",
                ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = password.Name, Key = password.Key } },
            });
        }

        return env;
    }

    private static List<V1ContainerPort> Ports(MailServerSpec spec, Tier tier)
    {
        var ports = new List<V1ContainerPort>();
        if (tier == Tier.Smtpd)
        {
            ports.Add(new V1ContainerPort { Name = "smtp", ContainerPort = Layout.SmtpContainerPort, Protocol = "TCP" });
            if (spec.Smtpd.Service.Ports.Submission is not null)
                ports.Add(new V1ContainerPort { Name = "submission", ContainerPort = Layout.SubmissionContainerPort, Protocol = "TCP" });
            if (spec.Smtpd.Service.Ports.Submissions is not null)
                ports.Add(new V1ContainerPort { Name = "submissions", ContainerPort = Layout.SubmissionsContainerPort, Protocol = "TCP" });
        }

        ports.Add(new V1ContainerPort { Name = "metrics", ContainerPort = Layout.MetricsPort, Protocol = "TCP" });
        return ports;
    }

    /// <summary>smtpd is ready when it accepts connections; the other tiers when `postfix status` finds the master running.</summary>
    private static V1Probe ReadinessProbe(Tier tier) => tier == Tier.Smtpd
        ? new V1Probe { TcpSocket = new V1TCPSocketAction { Port = "smtp" }, PeriodSeconds = 5, FailureThreshold = 2 }
        : StatusProbe(periodSeconds: 15);

    private static V1Probe LivenessProbe(Tier tier) => tier == Tier.Smtpd
        ? new V1Probe { TcpSocket = new V1TCPSocketAction { Port = "smtp" }, InitialDelaySeconds = 10, PeriodSeconds = 20, FailureThreshold = 3 }
        : StatusProbe(periodSeconds: 30, initialDelaySeconds: 10);

    private static V1Probe StatusProbe(int periodSeconds, int? initialDelaySeconds = null) => new()
    {
        Exec = new V1ExecAction { Command = ["mta", "postfix", "-c", Layout.ConfigDirectory, "status"] },
        InitialDelaySeconds = initialDelaySeconds,
        PeriodSeconds = periodSeconds,
        TimeoutSeconds = 10,
        FailureThreshold = 3,
    };

    private static List<V1VolumeMount> Mounts(MailServerSpec spec, Tier tier)
    {
        var mounts = new List<V1VolumeMount>
        {
            new() { Name = "config", MountPath = Layout.ConfigDirectory, ReadOnlyProperty = true },
            new() { Name = "spool", MountPath = Layout.QueueDirectory },
            new() { Name = "data", MountPath = Layout.DataDirectory },
            new() { Name = "tmp", MountPath = "/tmp" },
        };
        if (tier == Tier.Smtpd && spec.Tls is not null)
            mounts.Add(new V1VolumeMount { Name = "tls", MountPath = Layout.TlsDirectory, ReadOnlyProperty = true });
        if (tier == Tier.Smtpd && spec.Sasl is not null)
            mounts.Add(new V1VolumeMount { Name = "sasl", MountPath = Layout.SaslDirectory, ReadOnlyProperty = true });
        if (spec.Aliases?.ConfigMapRef is not null)
            mounts.Add(new V1VolumeMount { Name = "aliases", MountPath = Layout.ExternalAliasesDirectory, ReadOnlyProperty = true });
        if (tier == Tier.Delivery && spec.MailboxStorage is not null)
            mounts.Add(new V1VolumeMount { Name = "mailboxes", MountPath = Layout.MailDirectory });
        return mounts;
    }

    private static List<V1Volume> Volumes(ObjectFactory f, Tier tier)
    {
        var spec = f.Owner.Spec;
        var volumes = new List<V1Volume>
        {
            new() { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = f.ConfigMapName(tier) } },
            new() { Name = "spool", EmptyDir = new V1EmptyDirVolumeSource() },
            new() { Name = "data", EmptyDir = new V1EmptyDirVolumeSource() },
            new() { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = "64Mi" } },
        };
        if (tier == Tier.Smtpd && spec.Tls is not null)
            volumes.Add(new V1Volume { Name = "tls", Secret = new V1SecretVolumeSource { SecretName = spec.Tls.SecretName, DefaultMode = 288 } });
        if (tier == Tier.Smtpd && spec.Sasl is not null)
        {
            volumes.Add(new V1Volume
            {
                Name = "sasl",
                Secret = new V1SecretVolumeSource
                {
                    SecretName = spec.Sasl.SecretName,
                    DefaultMode = 288,
                    Items = [new V1KeyToPath { Key = spec.Sasl.Key, Path = spec.Sasl.Key }],
                },
            });
        }

        if (spec.Aliases?.ConfigMapRef is { } aliases)
        {
            volumes.Add(new V1Volume
            {
                Name = "aliases",
                ConfigMap = new V1ConfigMapVolumeSource { Name = aliases.Name, Items = [new V1KeyToPath { Key = aliases.Key, Path = "aliases" }] },
            });
        }

        if (tier == Tier.Delivery && spec.MailboxStorage is not null)
            volumes.Add(new V1Volume { Name = "mailboxes", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = f.MailboxClaimName } });
        return volumes;
    }
}
