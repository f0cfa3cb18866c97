namespace Mta.Tests;

/// <summary>A throw-away configuration directory holding the given main.cf and master.cf.</summary>
public sealed class TempConfig : IDisposable
{
    public TempConfig(string mainCf, string? masterCf = "smtp inet n - n - - smtpd\n")
    {
        Directory = Path.Combine(Path.GetTempPath(), "mta-cli-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(Directory);
        File.WriteAllText(MainCf, mainCf);
        if (masterCf is not null)
            File.WriteAllText(Path.Combine(Directory, "master.cf"), masterCf);
        // Postfix re-reads files modified within the current second; make them look settled.
        foreach (var file in System.IO.Directory.GetFiles(Directory))
            File.SetLastWriteTimeUtc(file, DateTime.UtcNow.AddMinutes(-1));
    }

    public string Directory { get; }
    public string MainCf => Path.Combine(Directory, "main.cf");

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
