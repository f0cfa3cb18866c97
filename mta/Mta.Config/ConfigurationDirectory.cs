using Mta.Config.MainCf;
using Mta.Config.MasterCf;

namespace Mta.Config;

/// <summary>
/// A Postfix configuration directory read the way the daemons read it: main.cf (required), the parameter set
/// over the given catalogue with config_directory set to the directory, and master.cf (required) with
/// inet service names resolved through the configured known_tcp_ports.
/// </summary>
public sealed record ConfigurationDirectory(string Path, MainCfFile MainCf, MasterCfFile MasterCf, ParameterSet Parameters)
{
    public static ConfigurationDirectory Load(string directory, IEnumerable<Parameter> catalogue,
        MasterCfErrorStyle style = MasterCfErrorStyle.Master)
    {
        var mainCf = MainCfFile.Load(System.IO.Path.Combine(directory, "main.cf"));
        var parameters = new ParameterSet(catalogue, mainCf, [new("config_directory", directory)]);
        var ports = parameters.IsDefined("known_tcp_ports")
            ? KnownTcpPorts.Parse(parameters.Expand("known_tcp_ports"))
            : KnownTcpPorts.Default;
        var masterCf = MasterCfFile.Load(System.IO.Path.Combine(directory, "master.cf"), style, ports);
        return new ConfigurationDirectory(directory, mainCf, masterCf, parameters);
    }
}
