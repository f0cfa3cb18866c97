using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Mta.Tests.Delivery;

/// <summary>
/// A private instance of Debian's real Postfix on a free 127.0.0.1 port (its own config, queue and mail
/// directories), accepting mail for <see cref="Domain"/> into Maildirs through its virtual(8) agent:
/// the interoperability peer Mta relays to. Postfix's master must start as root.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
internal sealed class PostfixPeer : IDisposable
{
    public const string Domain = "peer.example";

    private readonly string _root = Directory.CreateTempSubdirectory("mta-postfix-peer-").FullName;
    private string ConfigDirectory => Path.Combine(_root, "etc");
    public string MailDirectory => Path.Combine(_root, "mail");
    public int Port { get; } = LocalPorts.Free();

    public PostfixPeer()
    {
        if (Environment.UserName != "root")
            throw new InvalidOperationException("the Postfix peer needs root: Postfix's master starts as root and drops to the postfix user");
        // Postfix's unprivileged daemons and the virtual agent (uid 65534) must reach their directories.
        File.SetUnixFileMode(_root, (UnixFileMode)0b111_101_101);
        Directory.CreateDirectory(ConfigDirectory);
        Directory.CreateDirectory(Path.Combine(_root, "spool"));
        Directory.CreateDirectory(MailDirectory);
        Run("chown", "nobody:nogroup", MailDirectory);
        var data = Directory.CreateDirectory(Path.Combine(_root, "data")).FullName;
        Run("chown", "postfix", data);
        File.WriteAllText(Path.Combine(ConfigDirectory, "main.cf"), $"""
            compatibility_level = 3.6
            queue_directory = {_root}/spool
            data_directory = {data}
            myhostname = mx.{Domain}
            mydestination =
            inet_interfaces = 127.0.0.1
            inet_protocols = ipv4
            mynetworks = 127.0.0.0/8
            virtual_mailbox_domains = {Domain}
            virtual_mailbox_maps = static:maildir/
            virtual_mailbox_base = {MailDirectory}
            virtual_uid_maps = static:65534
            virtual_gid_maps = static:65534
            maillog_file = {_root}/maillog
            maillog_file_prefixes = {_root}
            """.Replace("\n            ", "\n"));
        File.WriteAllText(Path.Combine(ConfigDirectory, "master.cf"), $"""
            127.0.0.1:{Port} inet n - n - - smtpd
            pickup    unix  n       -       n       60      1       pickup
            cleanup   unix  n       -       n       -       0       cleanup
            qmgr      unix  n       -       n       300     1       qmgr
            tlsmgr    unix  -       -       n       1000?   1       tlsmgr
            rewrite   unix  -       -       n       -       -       trivial-rewrite
            bounce    unix  -       -       n       -       0       bounce
            defer     unix  -       -       n       -       0       bounce
            trace     unix  -       -       n       -       0       bounce
            verify    unix  -       -       n       -       1       verify
            flush     unix  n       -       n       1000?   0       flush
            proxymap  unix  -       -       n       -       -       proxymap
            smtp      unix  -       -       n       -       -       smtp
            relay     unix  -       -       n       -       -       smtp
            showq     unix  n       -       n       -       -       showq
            error     unix  -       -       n       -       -       error
            retry     unix  -       -       n       -       -       error
            discard   unix  -       -       n       -       -       discard
            local     unix  -       n       n       -       -       local
            virtual   unix  -       n       n       -       -       virtual
            anvil     unix  -       -       n       -       1       anvil
            scache    unix  -       -       n       -       1       scache
            postlog   unix-dgram n  -       n       -       1       postlogd
            """.Replace("\n            ", "\n"));
        Run("postfix", "-c", ConfigDirectory, "start");
        LocalPorts.WaitUntilListening(Port, TimeSpan.FromSeconds(20), () => $"the Postfix peer never listened: {Maillog}");
    }

    public string Maillog => File.Exists(Path.Combine(_root, "maillog")) ? File.ReadAllText(Path.Combine(_root, "maillog")) : "";

    /// <summary>The messages delivered (every recipient shares one Maildir: virtual_mailbox_maps = static:maildir/).</summary>
    public IReadOnlyList<string> Delivered()
    {
        var path = Path.Combine(MailDirectory, "maildir", "new");
        return Directory.Exists(path) ? Directory.GetFiles(path).Select(File.ReadAllText).ToList() : [];
    }

    private static void Run(string program, params string[] args)
    {
        var start = new ProcessStartInfo(program) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
            throw new InvalidOperationException($"{program} {string.Join(' ', args)}: exit {process.ExitCode}: {error}");
    }

    public void Dispose()
    {
        try { Run("postfix", "-c", ConfigDirectory, "stop"); } catch (InvalidOperationException) { }
        try { Directory.Delete(_root, recursive: true); } catch (IOException) { }
    }
}
