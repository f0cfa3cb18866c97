using System.Text.Json.Nodes;
using k8s;
using k8s.Models;
using Mta.Operator.Api;
using Mta.Operator.Tests.Crd;

namespace Mta.Operator.Tests;

/// <summary>The MailServer types speak the API server's JSON (KubernetesJson) and YAML (KubernetesYaml).</summary>
public class ApiSerializationTests
{
    [Fact]
    public void NewMailServerCarriesItsApiVersionAndKind()
    {
        var ms = new MailServer();
        Assert.Equal("mta.dev/v1alpha1", ms.ApiVersion);
        Assert.Equal("MailServer", ms.Kind);

        var entity = (KubernetesEntityAttribute)Attribute.GetCustomAttribute(typeof(MailServer), typeof(KubernetesEntityAttribute))!;
        Assert.Equal(("mta.dev", "v1alpha1", "MailServer", "mailservers"), (entity.Group, entity.ApiVersion, entity.Kind, entity.PluralName));
    }

    [Fact]
    public void StatusRoundTripsWithCamelCaseNamesAndRfc3339Times()
    {
        var ms = new MailServer
        {
            Metadata = new V1ObjectMeta { Name = "corp", NamespaceProperty = "mail", Generation = 3 },
            Spec = new MailServerSpec { Domain = "corp.example" },
            Status = new MailServerStatus
            {
                ObservedGeneration = 3,
                Conditions =
                [
                    new MailServerCondition
                    {
                        Type = ConditionTypes.ConfigValid, Status = "False", Reason = "InvalidMainCf",
                        Message = "main.cf, line 3: bad boolean configuration: smtpd_helo_required = perhaps",
                        LastTransitionTime = new DateTime(2026, 11, 25, 23, 0, 0, DateTimeKind.Utc), ObservedGeneration = 3,
                    },
                ],
                Smtpd = new TierStatus { Replicas = 2, ReadyReplicas = 1 },
                Queued = 17,
                ConfigHash = "abc",
            },
        };

        var json = JsonNode.Parse(KubernetesJson.Serialize(ms))!;
        Assert.Equal(3, json["status"]!["observedGeneration"]!.GetValue<long>());
        Assert.Equal("ConfigValid", json["status"]!["conditions"]![0]!["type"]!.GetValue<string>());
        Assert.StartsWith("2026-11-25T23:00:00", json["status"]!["conditions"]![0]!["lastTransitionTime"]!.GetValue<string>());
        Assert.Equal(1, json["status"]!["smtpd"]!["readyReplicas"]!.GetValue<int>());
        Assert.Equal(17, json["status"]!["queued"]!.GetValue<long>());

        // What the status carries validates against the CRD's status schema.
        var errors = StructuralSchemaValidator.Validate(CrdDocument.Load().SchemaAt("status"), json["status"]!.DeepClone());
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        var back = KubernetesJson.Deserialize<MailServer>(json.ToJsonString());
        Assert.Equal("InvalidMainCf", back.Status!.Conditions![0].Reason);
        Assert.Equal(ms.Status.Conditions[0].LastTransitionTime, back.Status.Conditions[0].LastTransitionTime.ToUniversalTime());
    }

    [Fact]
    public void ExamplesLoadWithKubernetesYaml()
    {
        var full = KubernetesYaml.Deserialize<MailServer>(File.ReadAllText(Path.Combine(RepoPaths.Examples, "full.yaml")));
        Assert.Equal("corp", full.Metadata.Name);
        Assert.Equal("corp.example", full.Spec.Domain);
        Assert.Equal(465, full.Spec.Smtpd.Service.Ports.Submissions);
        Assert.Equal("25%", full.Spec.Delivery.PodDisruptionBudget!.MaxUnavailable!.Value);
        Assert.Equal("20Gi", full.Spec.Redis.Managed!.Storage.Size.ToString());
        Assert.Equal("yes", full.Spec.MainCf!.Parameters!["smtpd_helo_required"]);
    }

    [Fact]
    public void NullOptionalFieldsAreLeftOutOfTheJson()
    {
        var json = JsonNode.Parse(KubernetesJson.Serialize(new MailServerSpec { Domain = "example.org" }))!.AsObject();
        Assert.False(json.ContainsKey("hostname"));
        Assert.False(json.ContainsKey("tls"));
        Assert.False(json["smtpd"]!.AsObject().ContainsKey("replicas"));
    }
}
