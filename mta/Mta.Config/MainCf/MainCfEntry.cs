namespace Mta.Config.MainCf;

/// <summary>One "name = value" setting of main.cf; <see cref="Line"/> is the first physical line of its logical line.</summary>
public sealed record MainCfEntry(string Name, string Value, int Line);
