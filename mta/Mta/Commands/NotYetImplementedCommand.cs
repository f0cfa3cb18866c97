namespace Mta.Commands;

/// <summary>
/// The Postfix commands that later issues build (sendmail, mailq, newaliases, postqueue, postsuper, postmap,
/// postalias): they say so plainly, on stderr with exit status 1, rather than pretend.
/// </summary>
internal static class NotYetImplementedCommand
{
    public static Func<IReadOnlyList<string>, TextWriter, TextWriter, int> For(string name) => (_, _, err) =>
    {
        err.WriteLine($"mta: {name}: not yet implemented");
        return 1;
    };
}
