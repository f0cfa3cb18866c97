using System.Diagnostics;

namespace Mta.Deploy.Tests;

/// <summary>Runs a command-line tool with a deadline and returns what it printed.</summary>
internal static class ToolRunner
{
    public sealed record Result(int ExitCode, string StdOut, string StdErr)
    {
        public string Describe() => $"exit {ExitCode}\n{StdOut}\n{StdErr}";
    }

    public static Result Run(string fileName, IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoPaths.Root,
        };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("could not start " + fileName);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout ?? TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{fileName} {string.Join(' ', info.ArgumentList)} timed out");
        }
        return new Result(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>Runs the tool and fails the test, showing its output, unless it exits 0.</summary>
    public static string RunOk(string fileName, params string[] arguments)
    {
        var result = Run(fileName, arguments);
        Assert.True(result.ExitCode == 0, $"{fileName} {string.Join(' ', arguments)} failed: {result.Describe()}");
        return result.StdOut;
    }
}
