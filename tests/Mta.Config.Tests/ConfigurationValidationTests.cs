using Mta.Config.MainCf;
using Mta.Config.MasterCf;

namespace Mta.Config.Tests;

/// <summary>Whole-configuration validation (what the operator and postfix check report) and directory loading.</summary>
public class ConfigurationValidationTests
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
    public void ValidConfigurationHasNoErrors()
    {
        var set = new ParameterSet(Catalogue, MainCfFile.Parse("disable_vrfy_command = yes\n", "main.cf"));
        Assert.Empty(ConfigurationValidator.Validate(set));
    }

    [Fact]
    public void EveryBadValueIsReportedWithPostfixText()
    {
        var set = new ParameterSet(Catalogue, MainCfFile.Parse(
            "disable_vrfy_command = true\nsmtpd_recipient_limit = 0\nsmtpd_timeout = 1y\nmessage_size_limit = big\n", "main.cf"));
        Assert.Equal(
        [
            "bad boolean configuration: disable_vrfy_command = true",
            "bad numerical configuration: message_size_limit = big",
            "invalid smtpd_recipient_limit parameter value 0 < 1",
            "parameter smtpd_timeout: bad time value or unit: 1y",
        ], ConfigurationValidator.Validate(set));
    }

    [Fact]
    public void ServiceOverridesAreValidatedPerService()
    {
        var set = new ParameterSet(Catalogue, MainCfFile.Parse("", "main.cf"));
        var master = MasterCfFile.Parse("submission inet n - n - - smtpd -o smtpd_timeout=forever\n", "master.cf");
        Assert.Equal(["submission/inet: parameter smtpd_timeout: bad time value or unit: forever"],
            ConfigurationValidator.Validate(set, master));
    }

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
