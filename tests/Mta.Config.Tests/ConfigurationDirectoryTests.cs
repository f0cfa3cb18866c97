using Mta.Config.MainCf;
using Mta.Config.MasterCf;

namespace Mta.Config.Tests;

/// <summary>Loading a configuration directory as the daemons do. (Validation: ConfigurationCheck, tested through `postfix check`.)</summary>
public class ConfigurationDirectoryTests
{
    private static readonly Parameter[] Catalogue =
    [
        new BoolParameter("disable_vrfy_command", "no"),
        new IntParameter("smtpd_recipient_limit", "1000", 1),
        new TimeParameter("smtpd_timeout", "300s", 's', 1),
        new LongParameter("message_size_limit", "10240000"),
        new StringParameter("myhostname", "localhost"),
        new ListParameter("mydestination", "$myhostname, localhost"),
        new StringParameter("known_tcp_ports", KnownTcpPorts.DefaultText),
        new IntParameter("default_process_limit", "100", 1),
    ];

    [Fact]
    public void DirectoryLoadsBothFilesAndSetsConfigDirectory()
    {
        var dir = Directory.CreateTempSubdirectory("mta-config-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "main.cf"), "myhostname = mx.example\nknown_tcp_ports = smtp=25, custom=2525\n");
            File.WriteAllText(Path.Combine(dir, "master.cf"), "custom inet n - n - - smtpd\n");
            var config = ConfigurationDirectory.Load(dir, Catalogue);
            Assert.Equal(dir, config.Parameters.Expand("config_directory"));
            Assert.Equal("mx.example", config.Parameters.Expand("myhostname"));
            Assert.Equal(2525, config.MasterCf.Find("custom", "inet")!.Endpoint!.Port);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void MissingMasterCfIsPostfixOpenError()
    {
        var dir = Directory.CreateTempSubdirectory("mta-config-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "main.cf"), "");
            var e = Assert.Throws<ConfigException>(() => ConfigurationDirectory.Load(dir, Catalogue));
            Assert.Equal($"open {dir}/master.cf: No such file or directory", e.Message);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
