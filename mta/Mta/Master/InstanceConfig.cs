using Mta.Config;
using Mta.Config.MainCf;
using Mta.Config.MasterCf;

namespace Mta.Master;

/// <summary>
/// One Postfix instance's configuration as the master reads it at start and on reload: main.cf evaluated over
/// the catalogue (plus the per-service parameters master.cf implies), and the master.cf services.
/// </summary>
public sealed record InstanceConfig(string ConfigDirectory, ParameterSet Parameters, MasterCfFile Master)
{
    /// <summary>Reads DIR/main.cf and DIR/master.cf; throws <see cref="ConfigException"/> with Postfix's text.</summary>
    public static InstanceConfig Load(string configDirectory)
    {
        var main = MainCfFile.Load(Path.Combine(configDirectory, "main.cf"));
        var masterPath = Path.Combine(configDirectory, "master.cf");
        if (!File.Exists(masterPath))
            throw new ConfigException($"open {masterPath}: No such file or directory");
        var master = MasterCfFile.Load(masterPath);
        var catalogue = ParameterCatalogue.All.Concat(master.Services
            .SelectMany(s => ParameterCatalogue.ServiceParameters(s.Name, s.Command)));
        var parameters = new ParameterSet(catalogue, main, [new("config_directory", configDirectory)]);
        return new InstanceConfig(configDirectory, parameters, master);
    }

    public string QueueDirectory => Parameters.Get(ParameterCatalogue.QueueDirectory);
    public string DataDirectory => Parameters.Get(ParameterCatalogue.DataDirectory);

    /// <summary>Where master.pid lives: $queue_directory/$process_id_directory, as in Postfix.</summary>
    public string PidFilePath => Path.Combine(QueueDirectory, Parameters.Get(ParameterCatalogue.ProcessIdDirectory), "master.pid");

    public string SyslogName => Parameters.Get(ParameterCatalogue.SyslogName);
}
