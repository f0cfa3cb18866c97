using Mta.Config;
using Mta.Delivery.Notices;
using MimeKit;

namespace Mta.Delivery.Tests.Notices;

/// <summary>bounce_template_file replaces the built-in texts (bounce(5)); a broken template is ignored with a warning.</summary>
public sealed class TemplateFileTests : IDisposable
{
    private readonly string _file = Path.Combine(Path.GetTempPath(), $"mta-bounce-{Guid.NewGuid():N}.cf");

    public void Dispose() => File.Delete(_file);

    [Fact]
    public async Task CustomFailureTemplateChangesSubjectFromCharsetAndText()
    {
        await File.WriteAllTextAsync(_file, """
            # site texts
            failure_template = <<EOF
            Charset: utf-8
            From: Mail Robot <MAILER-DAEMON>
            Subject: Nicht zustellbar
            Postmaster-Subject: Kopie: nicht zustellbar

            Hier ist $mail_name auf $myhostname (Absender $double_bounce_sender).
            Ihre Nachricht wurde nicht zugestellt. Grüße.
            EOF
            """);
        await using var bed = new NoticeTestBed(("bounce_template_file", _file));
        var original = await bed.EnqueueAsync("alice@example.org", "bob@remote.example");

        var id = await bed.Notifier.BounceAsync(original, [NoticeTestBed.Rejected(0, "bob@remote.example")], default);

        var mime = (await bed.ReadAsync(id!.Value)).Mime;
        Assert.Equal("Nicht zustellbar", mime.Subject);
        Assert.Equal($"Mail Robot <MAILER-DAEMON@{NoticeTestBed.Host}>", mime.Headers[HeaderId.From]);
        Assert.Equal("text/plain; charset=utf-8", NoticeTestBed.Report(mime)[0].Headers[HeaderId.ContentType]);
        Assert.StartsWith($"Hier ist Postfix auf {NoticeTestBed.Host} (Absender double-bounce).\nIhre Nachricht wurde nicht zugestellt. Grüße.\n\n<bob@remote.example>:",
            NoticeTestBed.NotificationText(mime));
        Assert.DoesNotContain(bed.LogLines, l => l.Contains("warning:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TemplatesNotInTheFileStayBuiltIn()
    {
        await File.WriteAllTextAsync(_file, "success_template = <<EOF\nSubject: Delivered\n\nDone.\nEOF\n");
        await using var bed = new NoticeTestBed(("bounce_template_file", _file));
        var original = await bed.EnqueueAsync("alice@example.org", "bob@remote.example");

        var id = await bed.Notifier.BounceAsync(original, [NoticeTestBed.Rejected(0, "bob@remote.example")], default);

        Assert.Equal("Undelivered Mail Returned to Sender", (await bed.ReadAsync(id!.Value)).Mime.Subject);
        Assert.Equal("Delivered", bed.Settings.Templates.Success.Subject);
        Assert.Equal(["Done."], bed.Settings.Templates.Success.Lines);
    }

    [Theory]
    [InlineData("failure_template = <<EOF\nReply-To: x\n\ntext\nEOF\n", "unknown \"Reply-To\" header label in failure template -- ignoring this template")]
    [InlineData("failure_template = <<EOF\nSubject: x\n\nGrüße\nEOF\n", "8-bit message text in failure template")]
    [InlineData("success_template = <<EOF\nPostmaster-Subject: x\n\ntext\nEOF\n", "inapplicable \"Postmaster-Subject\" header label in success template -- ignoring this template")]
    [InlineData("failure_template = <<EOF\nSubject: x\nEOF\n", "missing message text in failure template -- ignoring this template")]
    [InlineData("bogus_template = text\n", "line 1: unknown template name: bogus_template -- ignoring this template")]
    public async Task BrokenTemplateIsIgnoredWithAWarning(string content, string warning)
    {
        await File.WriteAllTextAsync(_file, content);
        await using var bed = new NoticeTestBed(("bounce_template_file", _file));

        Assert.Contains(bed.LogLines, l => l.Contains($" postfix/bounce[{Environment.ProcessId}]: warning: {_file}", StringComparison.Ordinal) && l.Contains(warning, StringComparison.Ordinal));
        Assert.Same(NoticeTemplate.Failure, bed.Settings.Templates.Failure);
        Assert.Same(NoticeTemplate.Success, bed.Settings.Templates.Success);
    }

    [Fact]
    public void UnreadableTemplateFileIsFatal()
    {
        var parameters = new ParameterSet(ParameterCatalogue.All).WithOverride("bounce_template_file", _file);

        var error = Assert.Throws<ConfigException>(() => NoticeSettings.From(parameters));
        Assert.StartsWith($"open {_file}: ", error.Message);
    }
}
