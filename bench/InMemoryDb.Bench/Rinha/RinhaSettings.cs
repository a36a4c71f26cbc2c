namespace InMemoryDb.Bench.Rinha;

/// <summary>How to run the contest's load test.</summary>
/// <param name="BaseUrl">The API (loopback).</param>
/// <param name="DataDirectory">Holds <c>pessoas-payloads.tsv</c> and <c>termos-busca.tsv</c>.</param>
/// <param name="RateScale">Multiplies every arrival rate (1 = the contest).</param>
/// <param name="TimeScale">Multiplies every step's duration (1 = the contest: 205 s of arrivals).</param>
/// <param name="Seed">Seeds the Poisson arrivals and the pauses.</param>
/// <param name="CountDelay">How long to wait after the last response before reading the count.</param>
public sealed record RinhaSettings(
    string BaseUrl,
    string DataDirectory,
    double RateScale = 1,
    double TimeScale = 1,
    int Seed = 2023,
    TimeSpan? CountDelay = null)
{
    /// <summary>The wait before the count (3 s, as in the contest).</summary>
    public TimeSpan CountWait => CountDelay ?? TimeSpan.FromSeconds(3);
}
