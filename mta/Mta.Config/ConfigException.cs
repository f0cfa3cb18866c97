namespace Mta.Config;

/// <summary>
/// A configuration error Postfix would report as fatal. <see cref="Exception.Message"/> is Postfix's exact text
/// without the "fatal: " label (callers print <c>fatal: {Message}</c>). <see cref="Warnings"/> carries the
/// warning lines Postfix prints before the fatal one (e.g. "unreasonable macro call nesting: ...").
/// </summary>
public sealed class ConfigException : Exception
{
    public ConfigException(string message, IReadOnlyList<string>? warnings = null) : base(message)
    {
        Warnings = warnings ?? [];
    }

    public IReadOnlyList<string> Warnings { get; }
}
