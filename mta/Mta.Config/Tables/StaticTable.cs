namespace Mta.Config.Tables;

/// <summary>static:value and static:{ text with spaces }: every key maps to the same value (dict_static.c).</summary>
public sealed class StaticTable : ILookupTable
{
    private readonly string _value;

    public StaticTable(string name)
    {
        Reference = "static:" + name;
        var text = name.Trim();
        if (text.StartsWith('{'))
        {
            if (!BraceSyntax.TryStripBraces(text, out text, out var error))
                throw new TableLookupException(Reference, error!);
        }
        _value = text;
    }

    public string Reference { get; }
    public bool IsFixed => true;

    public ValueTask<string?> LookupAsync(string key, CancellationToken cancellationToken = default)
        => ValueTask.FromResult<string?>(_value);
}
