namespace Mta.Operator.Rendering;

/// <summary>The verdict on rendered configuration: the first error (Postfix's text with file and line) and any warnings.</summary>
public sealed record ConfigValidation(string? Error, IReadOnlyList<string> Warnings)
{
    public bool IsValid => Error is null;
}
