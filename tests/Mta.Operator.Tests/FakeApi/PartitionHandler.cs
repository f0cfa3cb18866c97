namespace Mta.Operator.Tests.FakeApi;

/// <summary>Simulates a network partition between one client and the API server: while cut, requests fail to connect.</summary>
public sealed class PartitionHandler : DelegatingHandler
{
    public volatile bool Cut;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        Cut ? Task.FromException<HttpResponseMessage>(new HttpRequestException("partitioned from the API server (test)")) : base.SendAsync(request, cancellationToken);
}
