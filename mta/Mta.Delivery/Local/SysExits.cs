namespace Mta.Delivery.Local;

/// <summary>sys_exits(3): what a &lt;sysexits.h&gt; exit status means for delivery (DSN and text). 75 (EX_TEMPFAIL) and 71 defer.</summary>
public static class SysExits
{
    private static readonly Dictionary<int, (string Dsn, string Text)> Table = new()
    {
        [64] = ("5.3.0", "command line usage error"),
        [65] = ("5.6.0", "data format error"),
        [66] = ("5.3.0", "cannot open input"),
        [67] = ("5.1.1", "user unknown"),
        [68] = ("5.1.2", "host name unknown"),
        [69] = ("5.3.0", "service unavailable"),
        [70] = ("5.3.0", "internal software error"),
        [71] = ("4.3.0", "system resource problem"),
        [72] = ("5.3.0", "critical OS file missing"),
        [73] = ("5.2.0", "can't create user output file"),
        [74] = ("5.3.0", "input/output error"),
        [75] = ("4.3.0", "temporary failure"),
        [76] = ("5.5.0", "remote error in protocol"),
        [77] = ("5.7.0", "permission denied"),
        [78] = ("5.3.5", "local configuration error"),
    };

    /// <summary>The entry for a sysexits code, or null for any other status.</summary>
    public static (string Dsn, string Text)? Lookup(int status) => Table.TryGetValue(status, out var e) ? e : null;
}
