using System.Text.Json.Nodes;

namespace Mta.Operator.Tests.Crd;

/// <summary>Each bound, enum and CEL rule of the CRD turns away the spec it is there to turn away.</summary>
public class CrdRejectsTests
{
    private readonly CrdDocument _crd = CrdDocument.Load();

    public static TheoryData<string, string, string> Invalid() => new()
    {
        // spec YAML (indented under spec:), error path, error text
        { "{}", "spec.domain", "Required value" },
        { "{domain: example.org, colour: blue}", "spec.colour", "unknown field" },
        { "{domain: -bad-.org}", "spec.domain", "must match" },
        { "{domain: example.org, smtpd: {replicas: 101}}", "spec.smtpd.replicas", "less than or equal to 100" },
        { "{domain: example.org, smtpd: {replicas: '2'}}", "spec.smtpd.replicas", "must be an integer" },
        { "{domain: example.org, smtpd: {service: {type: External}}}", "spec.smtpd.service.type", "Unsupported value" },
        { "{domain: example.org, smtpd: {service: {ports: {smtp: 70000}}}}", "spec.smtpd.service.ports.smtp", "less than or equal to 65535" },
        { "{domain: example.org, image: {pullPolicy: Sometimes}}", "spec.image.pullPolicy", "Unsupported value" },
        { "{domain: example.org, compatibilityLevel: three}", "spec.compatibilityLevel", "must match" },
        { "{domain: example.org, mainCf: {parameters: {smtpd_helo_required: yes}}}", "spec.mainCf.parameters.smtpd_helo_required", "must be a string" },
        { "{domain: example.org, mainCf: {parameters: {myhostname: \"a\\nrelayhost = evil\"}}}", "spec.mainCf.parameters.myhostname", "must match" },
        { "{domain: example.org, smtpd: {replicas: 2, autoscaling: {enabled: true}}}", "spec.smtpd", "set replicas or enable autoscaling, not both" },
        { "{domain: example.org, delivery: {replicas: 2, autoscaling: {enabled: true}}}", "spec.delivery", "set replicas or enable autoscaling, not both" },
        { "{domain: example.org, qmgr: {autoscaling: {enabled: true, minReplicas: 4, maxReplicas: 2}}}", "spec.qmgr.autoscaling", "minReplicas must be <= maxReplicas" },
        { "{domain: example.org, smtpd: {autoscaling: {enabled: true, minReplicas: 9}}}", "spec.smtpd.autoscaling", "minReplicas must be <= maxReplicas" },
        { "{domain: example.org, smtpd: {podDisruptionBudget: {minAvailable: 1, maxUnavailable: 1}}}", "spec.smtpd.podDisruptionBudget", "not both" },
        { "{domain: example.org, redis: {external: {url: 'redis://r:6379'}, managed: {}}}", "spec.redis", "exactly one of external or managed" },
        { "{domain: example.org, redis: {}}", "spec.redis", "exactly one of external or managed" },
        { "{domain: example.org, redis: {managed: {enabled: false}}}", "spec.redis", "exactly one of external or managed" },
        { "{domain: example.org, redis: {external: {url: 'http://r'}}}", "spec.redis.external.url", "must match" },
        { "{domain: example.org, aliases: {entries: {a: b}, configMapRef: {name: c}}}", "spec.aliases", "set entries or configMapRef, not both" },
        { "{domain: example.org, smtpd: {service: {ports: {submission: 587}}}}", "spec", "submission and submissions need spec.tls and spec.sasl" },
        { "{domain: example.org, tls: {}}", "spec.tls.secretName", "Required value" },
        { "{domain: example.org, mailboxStorage: {accessMode: ReadOnlyMany}}", "spec.mailboxStorage.accessMode", "Unsupported value" },
    };

    [Fact]
    public void RejectsMoreThan500MainCfOverrides()
    {
        var parameters = string.Join(", ", Enumerable.Range(0, 501).Select(i => $"p{i}: x"));
        var errors = StructuralSchemaValidator.Validate(_crd.Schema, MailServerWithSpec($"{{domain: example.org, mainCf: {{parameters: {{{parameters}}}}}}}"));
        Assert.Contains("spec.mainCf.parameters: must have at most 500 properties", errors);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void RejectsInvalidSpec(string specYaml, string path, string message)
    {
        var obj = MailServerWithSpec(specYaml);

        var errors = StructuralSchemaValidator.Validate(_crd.Schema, obj);

        Assert.Contains(errors, e => e.StartsWith(path + ":") && e.Contains(message));
    }

    public static TheoryData<string> Valid() => new()
    {
        "{domain: example.org, redis: {external: {url: 'rediss://r:6380/1', passwordSecretRef: {name: r}}}}",
        "{domain: example.org, smtpd: {autoscaling: {enabled: true, minReplicas: 5}}}",
        "{domain: example.org, smtpd: {replicas: 3, autoscaling: {enabled: false}}}",
        "{domain: example.org, delivery: {podDisruptionBudget: {maxUnavailable: 25%}}}",
        "{domain: example.org, aliases: {configMapRef: {name: aliases}}}",
        "{domain: example.org, tls: {secretName: t}, sasl: {secretName: s}, smtpd: {service: {ports: {submission: 587, submissions: 465}}}}",
    };

    [Theory]
    [MemberData(nameof(Valid))]
    public void AcceptsValidSpec(string specYaml)
    {
        var errors = StructuralSchemaValidator.Validate(_crd.Schema, MailServerWithSpec(specYaml));
        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    [Fact]
    public void EveryCelRuleInTheCrdHasACSharpEquivalent()
    {
        var rules = _crd.Schema.ToJsonString();
        var inCrd = new List<string>();
        Collect(_crd.Schema, inCrd);

        Assert.NotEmpty(inCrd);
        Assert.All(inCrd, rule => Assert.True(CelRules.Equivalents.ContainsKey(rule), rule));
        Assert.All(CelRules.Equivalents.Keys, rule => Assert.Contains(rule, inCrd));
        Assert.NotEmpty(rules);
    }

    private static void Collect(JsonNode? node, List<string> rules)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, child) in obj)
                {
                    if (name == "x-kubernetes-validations")
                        rules.AddRange(child!.AsArray().Select(r => r!["rule"]!.GetValue<string>()));
                    else
                        Collect(child, rules);
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                    Collect(item, rules);
                break;
        }
    }

    private static JsonObject MailServerWithSpec(string specYaml) => (JsonObject)YamlToJson.Single(
        $"apiVersion: mta.dev/v1alpha1\nkind: MailServer\nmetadata: {{name: t, namespace: mail}}\nspec: {specYaml}\n")!;
}
