namespace InMemoryDb.Grains;

/// <summary>Runs on the silo the caller reached (see <see cref="IGatewayProbeGrain"/>); one activation per silo.</summary>
[StatelessWorker(1)]
public sealed class GatewayProbeGrain(ILocalSiloDetails silo) : Grain, IGatewayProbeGrain
{
    /// <inheritdoc />
    public Task<string> GatewayAsync() => Task.FromResult((silo.GatewayAddress ?? silo.SiloAddress).Endpoint.ToString());
}
