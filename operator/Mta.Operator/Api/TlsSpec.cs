using System.Text.Json.Serialization;

namespace Mta.Operator.Api;

/// <summary>STARTTLS (and submissions) certificate: a kubernetes.io/tls Secret with tls.crt and tls.key.</summary>
public sealed class TlsSpec
{
    [JsonPropertyName("secretName")]
    [JsonRequired]
    public required string SecretName { get; set; }
}
