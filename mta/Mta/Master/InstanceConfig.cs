using Mta.Config;
using Mta.Config.MasterCf;
using Mta.Queue;

namespace Mta.Master;

/// <summary>
/// One Postfix instance's configuration as the master reads it at start and on reload: main.cf evaluated over
/// the catalogue (plus the per-service parameters master.cf implies), and the master.cf services.
/// </summary>
public sealed record InstanceConfig(string ConfigDirectory, ParameterSet Parameters, MasterCfFile Master)
{
    /// <summary>Reads DIR/main.cf and DIR/master.cf; throws <see cref="ConfigException"/> with Postfix's text.</summary>
    public static InstanceConfig Load(string configDirectory) =>
        From(ConfigurationDirectory.Load(configDirectory, ParameterCatalogue.All));

    /// <summary>The instance for files already read (e.g. by <see cref="ConfigurationCheck"/>).</summary>
    public static InstanceConfig From(ConfigurationDirectory directory)
    {
        var serviceParameters = directory.MasterCf.Services.SelectMany(s => ParameterCatalogue.ServiceParameters(s.Name, s.Command));
        return new InstanceConfig(directory.Path, directory.Parameters.WithDefaults(serviceParameters), directory.MasterCf);
    }

    public string QueueDirectory => Parameters.Get(ParameterCatalogue.QueueDirectory);
    public string DataDirectory => Parameters.Get(ParameterCatalogue.DataDirectory);

    /// <summary>Where master.pid lives: $queue_directory/$process_id_directory, as in Postfix.</summary>
    public string PidFilePath => Path.Combine(QueueDirectory, Parameters.Get(ParameterCatalogue.ProcessIdDirectory), "master.pid");

    public string SyslogName => Parameters.Get(ParameterCatalogue.SyslogName);

    /// <summary>
    /// The queue store main.cf names. In a pod the Redis password comes from a Secret as MTA_REDIS_PASSWORD
    /// (never written into the ConfigMap), so it is added to redis_url here when the URL carries none.
    /// </summary>
    public QueueStoreSettings QueueStore(bool recover)
    {
        var url = Parameters.Get(ParameterCatalogue.RedisUrl);
        var password = Environment.GetEnvironmentVariable("MTA_REDIS_PASSWORD");
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        if (!string.IsNullOrEmpty(password) && scheme > 0 && !url[(scheme + 3)..].Split('/')[0].Contains('@'))
            url = $"{url[..(scheme + 3)]}:{Uri.EscapeDataString(password)}@{url[(scheme + 3)..]}";
        return new QueueStoreSettings(Parameters.Get(ParameterCatalogue.QueueBackend), QueueDirectory, url, recover);
    }
}
