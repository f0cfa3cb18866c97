using System.Diagnostics;

namespace Mta.Tests.Commands;

/// <summary>Debian's real postmap/postalias (/usr/sbin), run as an oracle on the same source text as ours.</summary>
internal static class RealPostfixTool
{
    public static (int Status, string Output, string Error) Run(string program, string? stdin, params string[] args)
    {
        var path = Path.Combine("/usr/sbin", program);
        Assert.True(File.Exists(path), $"{path} is missing: install Debian's postfix package (.ci/run does)");
        var start = new ProcessStartInfo(path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        start.Environment.Remove("MAIL_CONFIG");
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
            process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        Assert.True(process.WaitForExit(10_000), $"{program} did not finish within 10 s");
        return (process.ExitCode, output.Result, error.Result);
    }
}
