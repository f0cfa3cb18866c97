using System.Net;

namespace Mta.Config.Tests;

/// <summary>Host-derived defaults: Postfix's myhostname/mydomain rules and postconf's mynetworks format.</summary>
public sealed class CatalogueHostDefaultsTests
{
    [Theory]
    [InlineData("mx1.example.com", "example.com")]
    [InlineData("a.b.c.example", "b.c.example")]
    [InlineData("vm", "localdomain")]
    public void MyDomainIsWhatFollowsTheFirstDot(string myhostname, string expected) =>
        Assert.Equal(expected, HostDefaults.MyDomain(myhostname));

    [Fact]
    public void MyHostnameAppendsTheConfiguredDomainOnlyToABareName()
    {
        var host = Dns.GetHostName();
        var expected = host.Contains('.') ? host : host + ".example.org";
        Assert.Equal(expected, HostDefaults.MyHostname("example.org"));
        Assert.Equal(host.Contains('.') ? host : host + ".localdomain", HostDefaults.MyHostname(null));
    }

    [Theory]
    [InlineData("127.0.0.1", 8, "host", "127.0.0.1/32")]
    [InlineData("127.0.0.1", 8, "subnet", "127.0.0.0/8")]
    [InlineData("192.0.2.77", 24, "subnet", "192.0.2.0/24")]
    [InlineData("172.20.1.9", 24, "class", "172.20.0.0/16")]
    [InlineData("10.9.8.7", 24, "class", "10.0.0.0/8")]
    [InlineData("192.0.2.77", 26, "class", "192.0.2.0/24")]
    [InlineData("::1", 128, "subnet", "[::1]/128")]
    [InlineData("fd00::2", 64, "subnet", "[fd00::]/64")]
    [InlineData("fd00::2", 64, "class", "[fd00::]/64")]
    [InlineData("fe80::fc:ff:fe00:1", 64, "host", "[fe80::fc:ff:fe00:1]/128")]
    public void NetworksAreFormattedAsPostconfPrintsThem(string address, int prefix, string style, string expected) =>
        Assert.Equal(expected, HostDefaults.Network(IPAddress.Parse(address), prefix, style));

    [Fact]
    public void AnUnknownStyleIsRejected() =>
        Assert.Throws<ArgumentException>(() => HostDefaults.MyNetworks("subnet host"));

    [Fact]
    public void LoopbackIsAlwaysListed()
    {
        Assert.Contains("127.0.0.0/8", HostDefaults.MyNetworks("subnet").Split(' '));
        Assert.Contains("127.0.0.1/32", HostDefaults.MyNetworks("HOST").Split(' '));
    }
}
