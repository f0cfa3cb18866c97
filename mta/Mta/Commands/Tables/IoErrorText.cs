namespace Mta.Commands.Tables;

/// <summary>strerror()'s words for the I/O failures .NET reports differently, so fatal lines read as Postfix's ("%m").</summary>
internal static class IoErrorText
{
    public static string Describe(Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => "No such file or directory",
        UnauthorizedAccessException => "Permission denied",
        _ => e.Message,
    };
}
