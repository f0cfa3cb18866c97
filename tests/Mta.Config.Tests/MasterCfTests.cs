using Mta.Config.MainCf;
using Mta.Config.MasterCf;

namespace Mta.Config.Tests;

/// <summary>master.cf: columns, "-" defaults, continuation, -o overrides, endpoints, duplicates, error texts.</summary>
public class MasterCfTests
{
    private const string Path = "/etc/postfix/master.cf";

    private const string Sample = """
        # service type  private unpriv  chroot  wakeup  maxproc command + args
        smtp      inet  n       -       y       -       -       smtpd
        submission inet n       -       n       -       -       smtpd
          -o syslog_name=postfix/submission
          -o smtpd_tls_security_level=encrypt
          -o { smtpd_client_restrictions = permit_sasl_authenticated, reject }
        # a comment between continuation lines does not end the entry
          -o { smtpd_banner = $myhostname  ESMTP   ready }
        127.0.0.1:10025 inet n  -       n       -       10      smtpd -o content_filter=
        [::1]:2525 inet  n      -       n       -       -       smtpd
        pickup    unix  n       -       y       60      1       pickup
        tlsmgr    unix  -       -       y       1000?   1       tlsmgr
        relay     unix  -       -       y       -       -       smtp
                -o syslog_name=postfix/$service_name
        postlog   unix-dgram n  -       n       -       1       postlogd
        maildrop  unix  -       n       n       -       -       pipe
          flags=DRXhu user=vmail argv=/usr/bin/maildrop -d ${recipient}
        smtp      unix  -       -       y       -       -       smtp
        smtp      unix  -       -       n       -       5       smtp -v
        """;

    [Fact]
    public void ParsesColumnsAndArguments()
    {
        var file = MasterCfFile.Parse(Sample, Path);
        Assert.Equal(11, file.Entries.Count);
        Assert.Equal(10, file.Services.Count);
        var smtp = file.Find("smtp", "inet")!;
        Assert.Equal(ServiceType.Inet, smtp.Type);
        Assert.Equal(("n", "-", "y", "-", "-", "smtpd"), (smtp.PrivateField, smtp.UnprivilegedField, smtp.ChrootField, smtp.WakeupField, smtp.MaxProcField, smtp.Command));
        Assert.False(smtp.IsPrivate);
        Assert.True(smtp.IsUnprivileged);
        Assert.Equal(new InetEndpoint(null, "smtp", 25), smtp.Endpoint);
        Assert.Equal(2, smtp.Line);

        var maildrop = file.Find("maildrop", "unix")!;
        Assert.Equal(["flags=DRXhu", "user=vmail", "argv=/usr/bin/maildrop", "-d", "${recipient}"], maildrop.Arguments);
        Assert.False(maildrop.IsUnprivileged);
        Assert.Equal(ServiceType.UnixDgram, file.Find("postlog", "unix-dgram")!.Type);
    }

    [Fact]
    public void OverridesComeFromDashOInBothForms()
    {
        var submission = MasterCfFile.Parse(Sample, Path).Find("submission", "inet")!;
        Assert.Equal(
        [
            new("syslog_name", "postfix/submission"),
            new("smtpd_tls_security_level", "encrypt"),
            new("smtpd_client_restrictions", "permit_sasl_authenticated, reject"),
            new("smtpd_banner", "$myhostname  ESMTP   ready"),
        ], submission.Overrides);
        Assert.Equal(3, submission.Line);
        Assert.Equal(8, submission.LastLine);
        Assert.Equal(new InetEndpoint(null, "submission", 587), submission.Endpoint);
    }

    [Fact]
    public void DuplicateNameAndTypeLastWins()
    {
        var file = MasterCfFile.Parse(Sample, Path);
        var smtp = file.Find("smtp", "unix")!;
        Assert.Equal("5", smtp.MaxProcField);
        Assert.Equal(["-v"], smtp.Arguments);
        Assert.Equal(2, file.Entries.Count(e => e.Key == "smtp/unix"));
    }

    [Fact]
    public void DashDefaultsFollowMasterAndCompatibilityLevel()
    {
        var file = MasterCfFile.Parse(Sample, Path);
        var tlsmgr = file.Find("tlsmgr", "unix")!;
        Assert.True(tlsmgr.IsPrivate);
        Assert.Equal(1000, tlsmgr.WakeupSeconds);
        Assert.True(tlsmgr.WakeupOnlyAfterUse);
        var pickup = file.Find("pickup", "unix")!;
        Assert.Equal(60, pickup.WakeupSeconds);
        Assert.False(pickup.WakeupOnlyAfterUse);

        var relay = file.Find("relay", "unix")!;
        Assert.Equal(0, relay.WakeupSeconds);
        var chrootDash = relay with { ChrootField = "-" };
        Assert.True(chrootDash.IsChrooted(CompatibilityLevel.Parse("0")));
        Assert.False(chrootDash.IsChrooted(CompatibilityLevel.Parse("1")));
        Assert.False(chrootDash.IsChrooted(CompatibilityLevel.Parse("3.11")));
        Assert.True(relay.IsChrooted(CompatibilityLevel.Parse("3.11")));

        var parameters = new ParameterSet([new IntParameter("default_process_limit", "100", 1)]);
        Assert.Equal(100, relay.GetMaxProcesses(parameters));
        Assert.Equal(50, relay.GetMaxProcesses(parameters.WithOverride("default_process_limit", "50")));
        Assert.Equal(1, pickup.GetMaxProcesses(parameters));
    }

    [Fact]
    public void ServiceParametersSeeTheOverridesAndServiceName()
    {
        var relay = MasterCfFile.Parse(Sample, Path).Find("relay", "unix")!;
        var main = new ParameterSet([new StringParameter("syslog_name", "postfix")], MainCfFile.Empty("main.cf"));
        var applied = relay.Apply(main);
        Assert.Equal("postfix/relay", applied.Expand("syslog_name"));
        Assert.Equal("smtp", applied.Expand("process_name"));
        Assert.Equal("postfix", main.Expand("syslog_name"));
    }

    public static TheoryData<string, string?, string, int?> Endpoints => new()
    {
        { "smtp", null, "smtp", 25 },
        { "25", null, "25", 25 },
        { "submissions", null, "submissions", 465 },
        { "smtps", null, "smtps", 465 },
        { "lmtp", null, "lmtp", 24 },
        { "127.0.0.1:10025", "127.0.0.1", "10025", 10025 },
        { "127.0.0.1:smtp", "127.0.0.1", "smtp", 25 },
        { "localhost:submission", "localhost", "submission", 587 },
        { "[::1]:2525", "::1", "2525", 2525 },
        { "[ipv6:2001:db8::1]:25", "2001:db8::1", "25", 25 },
        { ":2525", null, "2525", 2525 },
        { "imaps", null, "imaps", null },
    };

    [Theory]
    [MemberData(nameof(Endpoints))]
    public void InetNamesGiveEndpoints(string name, string? host, string service, int? port)
    {
        Assert.Null(InetEndpoint.TryParse(name, KnownTcpPorts.Default, out var endpoint));
        Assert.Equal(new InetEndpoint(host, service, port), endpoint);
    }

    public static TheoryData<string, string> MasterErrors => new()
    {
        { "smtp\n", "/etc/postfix/master.cf: line 1: missing \"transport type\" field" },
        { "smtp -\n", "/etc/postfix/master.cf: line 1: field \"transport type\" has no default value" },
        { "smtp inet2 n - n - - smtpd\n", "/etc/postfix/master.cf: line 1: bad transport type: inet2" },
        { "smtp inet\n", "/etc/postfix/master.cf: line 1: missing \"private\" field" },
        { "smtp inet x - n - - smtpd\n", "/etc/postfix/master.cf: line 1: field \"private\": bad value: \"x\"" },
        { "smtp inet - - n - - smtpd\n", "/etc/postfix/master.cf: line 1: inet service cannot be private" },
        { "smtp inet n yes n - - smtpd\n", "/etc/postfix/master.cf: line 1: field \"unprivileged\": bad value: \"yes\"" },
        { "smtp inet n - 1 - - smtpd\n", "/etc/postfix/master.cf: line 1: field \"chroot\": bad value: \"1\"" },
        { "smtp inet n - n x - smtpd\n", "/etc/postfix/master.cf: line 1: field \"wakeup_time\": bad value: \"x\"" },
        { "smtp inet n - n - many smtpd\n", "/etc/postfix/master.cf: line 1: field \"max_proc\": bad value: \"many\"" },
        { "smtp inet n - n - -\n", "/etc/postfix/master.cf: line 1: missing \"command\" field" },
        { "smtp inet n - n - - -\n", "/etc/postfix/master.cf: line 1: field \"command\" has no default value" },
        { "# c\n\n[::1:25 inet n - n - - smtpd\n", "/etc/postfix/master.cf: line 3: missing \"]\" in \"[::1:25\"" },
        { "[::1]x inet n - n - - smtpd\n", "/etc/postfix/master.cf: line 1: garbage after \"]\" in \"[::1]x\"" },
        { "host: inet n - n - - smtpd\n", "/etc/postfix/master.cf: line 1: missing service information in \"host:\"" },
        { "bad_host!:25 inet n - n - - smtpd\n", "/etc/postfix/master.cf: line 1: valid hostname or network address required in \"bad_host!:25\"" },
        { "25x inet n - n - - smtpd\n", "/etc/postfix/master.cf: line 1: garbage after numerical service in \"25x\"" },
        { "smtp inet n - n - - smtpd {unclosed\n", "/etc/postfix/master.cf: line 1: missing '}' in \"{unclosed\"" },
        { "smtp inet n - n - - smtpd {a}b\n", "/etc/postfix/master.cf: line 1: syntax error after '}' in \"{a}b\"" },
        { "smtp inet n - n - - smtpd -o nonsense\n", "invalid \"-o nonsense\" option value: missing '=' after attribute name" },
    };

    [Theory]
    [MemberData(nameof(MasterErrors))]
    public void MasterStyleErrorsHaveMasterTexts(string text, string message)
    {
        var e = Assert.Throws<ConfigException>(() => MasterCfFile.Parse(text, Path));
        Assert.Equal(message, e.Message);
    }

    public static TheoryData<string> PostconfErrorCases => new()
    {
        "smtp inet n - y\n",
        "smtp inet2 n - y - - smtpd\n",
        "smtp inet x - y - - smtpd\n",
        "smtp inet n yes y - - smtpd\n",
        "smtp inet n - 1 - - smtpd\n",
        "smtp inet n - y 1x - smtpd\n",
        "smtp inet n - y - x smtpd\n",
        "# c\nsmtp inet n - y\n  -  - smtpd\nbad unix\n",
    };

    [PostconfTheory]
    [MemberData(nameof(PostconfErrorCases))]
    public void PostconfStyleErrorsMatchRealPostconf(string text)
    {
        using var postconf = new RealPostconf("", text);
        var (_, stderr, exit) = postconf.Run("-M");
        Assert.NotEqual(0, exit);
        var e = Assert.Throws<ConfigException>(() => MasterCfFile.Parse(text, postconf.MasterCfPath, MasterCfErrorStyle.Postconf));
        Assert.Equal(RealPostconf.Fatal(stderr), e.Message);
    }

    [PostconfFact]
    public void FieldsAndParametersMatchRealPostconf()
    {
        var text = File.Exists("/etc/postfix/master.cf") ? File.ReadAllText("/etc/postfix/master.cf") + Sample : Sample;
        using var postconf = new RealPostconf("", text);
        var file = MasterCfFile.Parse(text, postconf.MasterCfPath, MasterCfErrorStyle.Postconf);

        var (fields, _, exit) = postconf.Run("-F");
        Assert.Equal(0, exit);
        string[] names = ["service", "type", "private", "unprivileged", "chroot", "wakeup", "process_limit"];
        var expected = file.Entries.SelectMany(e => names.Zip(
            new[] { e.Name, e.TypeField, e.PrivateField, e.UnprivilegedField, e.ChrootField, e.WakeupField, e.MaxProcField },
            (n, v) => $"{e.Key}/{n} = {v}"));
        Assert.Equal(expected, fields.Split('\n').Where(l => !l.Contains("/command = ") && l.Length > 0));

        var (parameters, _, _) = postconf.Run("-P");
        var ours = file.Entries.SelectMany(e => PostconfOverrides(e).Select(o => Normalize.Words($"{e.Key}/{o.Key} = {o.Value}")));
        Assert.Equal(ours.Order(StringComparer.Ordinal), parameters.Split('\n', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    }

    // postconf -P lists the "-o name=value" pairs of the normalized arguments, last value per name.
    private static IEnumerable<KeyValuePair<string, string>> PostconfOverrides(MasterService service)
    {
        var args = service.PostconfArguments;
        var pairs = new Dictionary<string, string>();
        for (int i = 0; i + 1 < args.Count && args[i].StartsWith('-'); i++)
        {
            if (args[i] != "-o")
                continue;
            var eq = args[++i].IndexOf('=');
            if (eq > 0)
                pairs[args[i][..eq]] = args[i][(eq + 1)..];
        }
        return pairs;
    }

    [Fact]
    public void PostconfNormalizesArgumentsLikePostfix()
    {
        Assert.Equal(
            ["-o", "smtpd_banner=hello  world", "-o", "smtpd_tls_security_level=encrypt", "-o", "sysl", "-o", "g_name=x", "arg with  space"],
            PostconfArgumentNormalizer.Normalize(["-o", "{ smtpd_banner = hello  world }", "-osmtpd_tls_security_level=encrypt", "-osyslog_name=x", "{arg with  space}"]));
    }

    [Theory]
    [InlineData("-o a=1 -v -ob=2 -n name -o { c = 3 }", "a=1 b=2 c=3")]
    [InlineData("-vo a=1", "a=1")]
    [InlineData("-o a=1 flags=R argv=/bin/x -o b=2", "a=1")]
    [InlineData("-o a=1 -- -o b=2", "a=1")]
    [InlineData("-s 2 -o a=1", "a=1")]
    public void OverridesStopAtTheFirstNonOption(string arguments, string expected)
    {
        var service = MasterCfFile.Parse($"x unix - - n - - pipe {arguments}\n", Path).Entries[0];
        Assert.Equal(expected, string.Join(' ', service.Overrides.Select(o => $"{o.Key}={o.Value}")));
    }

    [Fact]
    public void KnownTcpPortsParse()
    {
        var ports = KnownTcpPorts.Parse("lmtp=24, smtp=25, smtps=submissions=465, submission=587, custom=2525");
        Assert.Equal(465, ports.Resolve("smtps"));
        Assert.Equal(465, ports.Resolve("submissions"));
        Assert.Equal(2525, ports.Resolve("custom"));
        Assert.Equal(80, ports.Resolve("80"));
        Assert.Null(ports.Resolve("http"));
    }
}
