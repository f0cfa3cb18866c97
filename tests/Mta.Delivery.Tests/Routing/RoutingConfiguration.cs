using Mta.Config;
using Mta.Config.MainCf;
using Mta.Config.Tables;
using Mta.Delivery.Routing;

namespace Mta.Delivery.Tests.Routing;

/// <summary>
/// One main.cf (a fixed base plus a test's lines, "{dir}" standing for the directory) with the routing tables the
/// tests name, written to a temporary directory that both our router and Postfix's trivial-rewrite read.
/// </summary>
public sealed class RoutingConfiguration : IDisposable
{
    // loopback-only keeps "user@[addr]" locality the same on every machine.
    private const string BaseMainCf = """
        compatibility_level = 3.6
        queue_directory = {dir}/queue
        myhostname = mx.example.com
        mydomain = example.com
        myorigin = origin.example
        mydestination = $myhostname, localhost.$mydomain, localhost
        inet_interfaces = loopback-only
        relay_domains = relay.example
        virtual_alias_domains = valias.example
        virtual_mailbox_domains = vmail.example
        """;

    private static readonly Dictionary<string, string> Tables = new()
    {
        ["transport"] = """
            special@remote.example  lmtp:inet:127.0.0.1:24
            bob@remote.example      lmtp:[lmtp.example]
            remote.example          smtp:[mx1.remote.example]:25
            .remote.example         relay:
            keep.example            :
            hop.example             :[hop-gw.example]
            only.example            relay
            dead.example            error:5.7.1 no mail for you
            gone.example            error:
            bin.example             discard:
            later.example           retry:4.4.1 try later
            valias.example          smtp:[never.example]
            alice@mx.example.com    local:other-host.example
            """,
        ["wildcard"] = """
            *               smtp:[smarthost.example]
            remote.example  :
            """,
        ["transport.re"] = """
            /^.*@regex\.example$/   smtp:[re.example]
            /^regex2\.example$/     smtp:[never.example]
            """,
        ["relocated"] = """
            moved@remote.example   new@else.example
            gone@remote.example    5.1.1 account closed
            plain@remote.example   account closed
            """,
    };

    private readonly string _mainCf;

    public RoutingConfiguration(string extraMainCf)
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("mta-routing-").FullName;
        System.IO.Directory.CreateDirectory(Path.Combine(Directory, "queue"));
        foreach (var (name, text) in Tables)
            File.WriteAllText(Path.Combine(Directory, name), text + "\n");
        _mainCf = (BaseMainCf + "\n" + extraMainCf.Replace("\\n", "\n") + "\n").Replace("{dir}", Directory);
        File.WriteAllText(Path.Combine(Directory, "main.cf"), _mainCf);
    }

    public string Directory { get; }

    public List<string> Log { get; } = [];

    public TrivialRewriteRouter CreateRouter()
    {
        var parameters = new ParameterSet(ParameterCatalogue.All, MainCfFile.Parse(_mainCf, Path.Combine(Directory, "main.cf")));
        return TrivialRewriteRouter.From(parameters, new LookupTableFactory(), Log.Add);
    }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
