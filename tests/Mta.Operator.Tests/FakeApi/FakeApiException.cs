using System.Text.Json.Nodes;

namespace Mta.Operator.Tests.FakeApi;

/// <summary>An API error, answered as a metav1.Status body with the same HTTP code.</summary>
public sealed class FakeApiException(int code, string reason, string message, JsonArray? causes = null) : Exception(message)
{
    public int Code { get; } = code;
    public string Reason { get; } = reason;

    public JsonObject ToStatus()
    {
        var status = new JsonObject
        {
            ["kind"] = "Status", ["apiVersion"] = "v1", ["metadata"] = new JsonObject(),
            ["status"] = "Failure", ["message"] = Message, ["reason"] = Reason, ["code"] = Code,
        };
        if (causes is not null) status["details"] = new JsonObject { ["causes"] = causes.DeepClone() };
        return status;
    }

    public static FakeApiException NotFound(FakeResource r, string name) => new(404, "NotFound", $"{r.GroupResource.TrimEnd('.')} \"{name}\" not found");
    public static FakeApiException AlreadyExists(FakeResource r, string name) => new(409, "AlreadyExists", $"{r.GroupResource.TrimEnd('.')} \"{name}\" already exists");
    public static FakeApiException Conflict(FakeResource r, string name) => new(409, "Conflict",
        $"Operation cannot be fulfilled on {r.GroupResource.TrimEnd('.')} \"{name}\": the object has been modified; please apply your changes to the latest version and try again");
    public static FakeApiException Gone(long requested, long oldest) => new(410, "Expired", $"too old resource version: {requested} ({oldest})");
    public static FakeApiException BadRequest(string message) => new(400, "BadRequest", message);
}
