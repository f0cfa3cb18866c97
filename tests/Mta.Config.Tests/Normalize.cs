namespace Mta.Config.Tests;

/// <summary>Postfix's whitespace normalization when postconf prints a value.</summary>
public static class Normalize
{
    public static string Words(string value) =>
        string.Join(' ', value.Split([' ', '\t', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries));
}
