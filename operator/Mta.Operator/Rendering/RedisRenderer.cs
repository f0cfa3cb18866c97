using k8s.Models;

namespace Mta.Operator.Rendering;

/// <summary>
/// The managed single Redis: a ConfigMap with AOF on every write (appendonly yes, appendfsync always, the
/// queue's durability rule), a StatefulSet with a PVC template, and a ClusterIP Service.
/// </summary>
public static class RedisRenderer
{
    /// <summary>The official redis image's redis user.</summary>
    private const long RedisUserId = 999;

    public static string Config() =>
        "# Rendered by mta-operator: the queue store. Every write is on disk before Redis answers.\n" +
        $"port {Layout.RedisPort}\n" +
        "bind * -::*\n" +
        "protected-mode no\n" +
        "dir /data\n" +
        "appendonly yes\n" +
        "appendfsync always\n" +
        "save \"\"\n" +
        "maxmemory-policy noeviction\n";

    public static V1ConfigMap ConfigMap(ObjectFactory f) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = f.Metadata(f.NameFor("redis-config"), "redis"),
        Data = new Dictionary<string, string> { ["redis.conf"] = Config() },
    };

    public static V1Service Service(ObjectFactory f) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = f.Metadata(f.RedisName, "redis"),
        Spec = new V1ServiceSpec
        {
            Selector = f.SelectorLabels("redis"),
            Ports = [new V1ServicePort { Name = "redis", Port = Layout.RedisPort, TargetPort = "redis", Protocol = "TCP" }],
        },
    };

    public static V1StatefulSet StatefulSet(ObjectFactory f)
    {
        var managed = f.Owner.Spec.Redis.Managed!;
        var configHash = ConfigHash.Of([new("redis.conf", Config())]);
        var ping = new V1ExecAction { Command = ["redis-cli", "-p", Layout.RedisPort.ToString(), "ping"] };
        return new V1StatefulSet
        {
            ApiVersion = "apps/v1",
            Kind = "StatefulSet",
            Metadata = f.Metadata(f.RedisName, "redis"),
            Spec = new V1StatefulSetSpec
            {
                Replicas = 1,
                ServiceName = f.RedisName,
                Selector = new V1LabelSelector { MatchLabels = f.SelectorLabels("redis") },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = f.Labels("redis"),
                        Annotations = new Dictionary<string, string> { [Layout.ConfigHashAnnotation] = configHash },
                    },
                    Spec = new V1PodSpec
                    {
                        AutomountServiceAccountToken = false,
                        EnableServiceLinks = false,
                        SecurityContext = PodSecurity.Pod(RedisUserId),
                        TerminationGracePeriodSeconds = 30,
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "redis",
                                Image = managed.Image,
                                Command = ["redis-server", "/etc/redis/redis.conf"],
                                Ports = [new V1ContainerPort { Name = "redis", ContainerPort = Layout.RedisPort, Protocol = "TCP" }],
                                Resources = PodSecurity.Resources(managed.Resources),
                                SecurityContext = PodSecurity.Container(),
                                ReadinessProbe = new V1Probe { Exec = ping, PeriodSeconds = 5, TimeoutSeconds = 3 },
                                LivenessProbe = new V1Probe { Exec = ping, InitialDelaySeconds = 10, PeriodSeconds = 15, TimeoutSeconds = 5 },
                                VolumeMounts =
                                [
                                    new V1VolumeMount { Name = "data", MountPath = "/data" },
                                    new V1VolumeMount { Name = "config", MountPath = "/etc/redis", ReadOnlyProperty = true },
                                    new V1VolumeMount { Name = "tmp", MountPath = "/tmp" },
                                ],
                            },
                        ],
                        Volumes =
                        [
                            new V1Volume { Name = "config", ConfigMap = new V1ConfigMapVolumeSource { Name = f.NameFor("redis-config") } },
                            new V1Volume { Name = "tmp", EmptyDir = new V1EmptyDirVolumeSource { Medium = "Memory", SizeLimit = "16Mi" } },
                        ],
                    },
                },
                VolumeClaimTemplates =
                [
                    new V1PersistentVolumeClaim
                    {
                        ApiVersion = "v1",
                        Kind = "PersistentVolumeClaim",
                        Metadata = new V1ObjectMeta { Name = "data", Labels = f.Labels("redis") },
                        Spec = new V1PersistentVolumeClaimSpec
                        {
                            AccessModes = ["ReadWriteOnce"],
                            StorageClassName = managed.Storage.StorageClassName,
                            Resources = new V1VolumeResourceRequirements
                            {
                                Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = managed.Storage.Size },
                            },
                        },
                    },
                ],
            },
        };
    }
}
