using System.Diagnostics;
using Mta.Queue;

namespace Mta.Delivery.Tests.Local;

/// <summary>mailbox_delivery_lock: a dotlock or an fcntl lock held by someone else defers delivery (4.2.0).</summary>
public sealed class MailboxLockingTests
{
    private static async Task<Mta.Delivery.Agents.RecipientResult> DeliverToAlice(AgentHarness h) =>
        Assert.Single(await h.LocalAgent().DeliverAsync(
            AgentHarness.Request(AgentHarness.Message(), "s@remote.example", "local", "x", "alice@example.com"), default));

    [Fact]
    public async Task HeldDotLockDefersThenDeliveryWorksOnceReleased()
    {
        await using var h = new AgentHarness();
        var lockFile = h.SpoolFile("alice") + ".lock";
        await File.WriteAllTextAsync(lockFile, "");

        var locked = await DeliverToAlice(h);

        Assert.Equal(RecipientStatus.Deferred, locked.Outcome.Status);
        Assert.Equal("4.2.0", locked.Outcome.Dsn);
        Assert.Equal($"cannot update mailbox {h.SpoolFile("alice")} for user alice. unable to create lock file {lockFile}: File exists",
            locked.Outcome.Reason);
        File.Delete(lockFile);
        var delivered = await DeliverToAlice(h);
        Assert.Equal(RecipientStatus.Delivered, delivered.Outcome.Status);
        Assert.False(File.Exists(lockFile));
    }

    [Fact]
    public async Task FcntlLockHeldByAnotherProcessDefers()
    {
        await using var h = new AgentHarness("mailbox_delivery_lock = fcntl");
        var mailbox = h.SpoolFile("alice");
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("import fcntl,sys\nf=open(sys.argv[1],'a')\nfcntl.lockf(f,fcntl.LOCK_EX)\nprint('locked',flush=True)\nsys.stdin.read()");
        start.ArgumentList.Add(mailbox);
        using var holder = Process.Start(start)!;
        try
        {
            Assert.Equal("locked", await holder.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10)));

            var locked = await DeliverToAlice(h);

            Assert.Equal(RecipientStatus.Deferred, locked.Outcome.Status);
            Assert.Equal("4.2.0", locked.Outcome.Dsn);
            Assert.EndsWith("unable to lock for exclusive access: Resource temporarily unavailable", locked.Outcome.Reason);
        }
        finally
        {
            holder.StandardInput.Close();
            await holder.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(10));
        }
        Assert.Equal(RecipientStatus.Delivered, (await DeliverToAlice(h)).Outcome.Status);
    }
}
