namespace InMemoryDb.Bench.Rinha;

/// <summary>The outcome of a run.</summary>
/// <param name="Count">What <c>GET /contagem-pessoas</c> answered (-1 when it failed).</param>
/// <param name="Expected">How many people the bodies sent should have created.</param>
/// <param name="P99">The overall p99 latency of OK requests, in ms.</param>
/// <param name="Ko">Requests that failed or got an unexpected answer.</param>
/// <param name="Requests">Every request name's statistics, <c>Global</c> first.</param>
public sealed record RinhaResult(long Count, int Expected, double P99, int Ko, IReadOnlyList<RequestStats> Requests)
{
    /// <summary>The last line the generator prints.</summary>
    public string Summary => FormattableString.Invariant($"count={Count} expected={Expected} p99={P99:F2}ms ko={Ko}");

    /// <summary>True when the service stored exactly what it should and every request was OK.</summary>
    public bool Passed => Count == Expected && Ko == 0;
}
