using Mta.Commands.Queue;
using Mta.Config;

namespace Mta.Commands.Tables;

/// <summary>
/// newaliases(1) = sendmail -bi: rebuilds every table alias_database names, as Postfix's sendmail does by running
/// "postalias -c DIR $alias_database" (so its messages are postalias's).
/// </summary>
internal static class NewaliasesCommand
{
    public static int Run(string configDirectory, TextWriter err)
    {
        IReadOnlyList<string> databases;
        try
        {
            databases = PostmapCommand.LoadMainCf(configDirectory).Get(ParameterCatalogue.AliasDatabase);
        }
        catch (FatalError e)
        {
            return e.Report("postalias", err);
        }
        if (databases.Count == 0)
            return 0;
        return PostmapCommand.Run(TableFlavour.Postalias, ["-c", configDirectory, .. databases], TextReader.Null, TextWriter.Null, err);
    }
}
