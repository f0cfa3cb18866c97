using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Mta.Operator.Tests.Crd;

/// <summary>
/// C# equivalents of the CRD's CEL rules, keyed by the exact rule text. A rule added to the CRD without an
/// equivalent here fails every validation (see <see cref="Evaluate"/>), so the two cannot drift apart silently.
/// </summary>
public static class CelRules
{
    public static readonly IReadOnlyDictionary<string, Func<JsonObject, bool>> Equivalents = new Dictionary<string, Func<JsonObject, bool>>
    {
        ["!(has(self.smtpd.service.ports.submission) || has(self.smtpd.service.ports.submissions)) || (has(self.tls) && has(self.sasl))"] =
            self => self["smtpd"]?["service"]?["ports"] is not JsonObject ports
                || !(ports.ContainsKey("submission") || ports.ContainsKey("submissions"))
                || (self.ContainsKey("tls") && self.ContainsKey("sasl")),
        ["!(has(self.entries) && has(self.configMapRef))"] =
            self => !(self.ContainsKey("entries") && self.ContainsKey("configMapRef")),
        ["!(has(self.replicas) && has(self.autoscaling) && self.autoscaling.enabled)"] =
            self => !(self.ContainsKey("replicas") && self["autoscaling"] is JsonObject a && a["enabled"]?.GetValueKind() == JsonValueKind.True),
        ["self.minReplicas <= self.maxReplicas"] =
            self => self["minReplicas"]!.GetValue<long>() <= self["maxReplicas"]!.GetValue<long>(),
        ["!(has(self.minAvailable) && has(self.maxUnavailable))"] =
            self => !(self.ContainsKey("minAvailable") && self.ContainsKey("maxUnavailable")),
        ["has(self.external) != (has(self.managed) && self.managed.enabled)"] =
            self => self.ContainsKey("external") != (self["managed"] is JsonObject m && m["enabled"]?.GetValueKind() == JsonValueKind.True),
    };

    public static bool Evaluate(string rule, JsonObject self) =>
        Equivalents.TryGetValue(rule, out var check)
            ? check(self)
            : throw new InvalidOperationException($"CEL rule without a C# equivalent in CelRules: {rule}");
}
