namespace Mta.Config.MasterCf;

/// <summary>
/// The known_tcp_ports table: symbolic service names Postfix maps to ports without /etc/services
/// ("lmtp=24, smtp=25, smtps=submissions=465, submission=587").
/// </summary>
public sealed class KnownTcpPorts
{
    public const string DefaultText = "lmtp=24, smtp=25, smtps=submissions=465, submission=587";

    private readonly Dictionary<string, int> _ports = new(StringComparer.Ordinal);

    public static KnownTcpPorts Default { get; } = Parse(DefaultText);

    public IReadOnlyDictionary<string, int> Ports => _ports;

    /// <summary>Parses "name=name=port, ..."; errors carry Postfix's texts (known_tcp_ports.c).</summary>
    public static KnownTcpPorts Parse(string text)
    {
        var table = new KnownTcpPorts();
        foreach (var association in Lists.ConfigList.Split(text, ", \t\r\n"))
        {
            var parts = association.Split('=');
            var portText = parts[^1].Trim();
            if (parts.Length < 2)
                throw new ConfigException($"known_tcp_ports: missing '=' in \"{association}\"");
            if (portText.Length == 0 || !portText.All(char.IsAsciiDigit))
                throw new ConfigException($"known_tcp_ports: non-numerical service port in \"{association}\"");
            if (!int.TryParse(portText, out var port) || port > 65535)
                throw new ConfigException($"known_tcp_ports: port number out of range in \"{association}\"");
            foreach (var raw in parts[..^1])
            {
                var name = raw.Trim();
                if (name.Length == 0 || name.All(char.IsAsciiDigit))
                    throw new ConfigException($"known_tcp_ports: numerical service name in \"{association}\"");
                if (!table._ports.TryAdd(name, port))
                    throw new ConfigException($"known_tcp_ports: duplicate service name in \"{association}\"");
            }
        }
        return table;
    }

    /// <summary>The port for a number or a known name, else null (Postfix would then ask getservbyname()).</summary>
    public int? Resolve(string nameOrPort)
    {
        if (nameOrPort.Length > 0 && nameOrPort.All(char.IsAsciiDigit))
            return int.TryParse(nameOrPort, out var n) && n <= 65535 ? n : null;
        return _ports.TryGetValue(nameOrPort, out var port) ? port : null;
    }
}
