namespace InMemoryDb;

/// <summary>
/// Answers which silo it runs on: a stateless worker, so a client's call to it runs on the gateway silo the call went
/// through. Orleans clients of the service call a few of them every half second to tell a gateway that stopped
/// answering (a paused or frozen silo keeps its connections open) and leave it before the cluster declares it dead.
/// </summary>
public interface IGatewayProbeGrain : IGrainWithIntegerKey
{
    /// <summary>The gateway endpoint (<c>address:port</c>) of the silo that ran the call, as the cluster's gateway list names it.</summary>
    [AlwaysInterleave]
    Task<string> GatewayAsync();
}
