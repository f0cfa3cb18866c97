namespace Mta.Commands.Tables;

/// <summary>What differs between postmap(1) and postalias(1): name, options, source syntax and output shape.</summary>
internal sealed record TableFlavour(string Program, string OptionSpec, string Usage, bool AliasSyntax, string SequenceSeparator)
{
    public static readonly TableFlavour Postmap = new("postmap", "bc:d:fFhimnNopq:rsuUvw",
        "usage: postmap [-bfFhimnNoprsuUvw] [-c config_dir] [-d key] [-q key] [map_type:]file...", AliasSyntax: false, "\t");

    public static readonly TableFlavour Postalias = new("postalias", "Nc:d:finopq:rsuvw",
        "usage: postalias [-Nfinoprsuvw] [-c config_dir] [-d key] [-q key] [map_type:]file...", AliasSyntax: true, ":\t");
}
