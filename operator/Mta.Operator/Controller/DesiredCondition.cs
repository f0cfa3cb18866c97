namespace Mta.Operator.Controller;

/// <summary>A condition as computed by one reconcile, before lastTransitionTime is decided.</summary>
public sealed record DesiredCondition(string Type, string Status, string Reason, string Message)
{
    public static DesiredCondition True(string type, string reason, string message) => new(type, "True", reason, message);
    public static DesiredCondition False(string type, string reason, string message) => new(type, "False", reason, message);
    public static DesiredCondition Unknown(string type, string reason, string message) => new(type, "Unknown", reason, message);
}
