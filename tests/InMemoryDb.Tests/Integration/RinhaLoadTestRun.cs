using System.Net;
using InMemoryDb.Bench.Rinha;
using Xunit.Abstractions;

namespace InMemoryDb.Tests.Integration;

/// <summary>The contest's load test, scaled down to about 20 s, against the persistent API on a real port.</summary>
public sealed class RinhaLoadTestRun(ITestOutputHelper output)
{
    [Fact(Timeout = 240_000)]
    public async Task ScaledContestRunStoresExactlyTheValidPeopleWithNoKo()
    {
        var port = TestPorts.Next();
        await using var factory = new ApiFactory(TestEnvironment.Postgres);
        factory.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, port));
        factory.StartServer();
        using (var warm = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") })
        {
            Assert.Equal(0, long.Parse(await warm.GetStringAsync("/contagem-pessoas"), System.Globalization.CultureInfo.InvariantCulture));
        }

        var report = new StringWriter();
        var result = await RinhaLoadTest.RunAsync(
            new RinhaSettings($"http://127.0.0.1:{port}", TestData.RinhaDirectory, RateScale: 0.2, TimeScale: 0.1), report);
        output.WriteLine(report.ToString());

        Assert.True(result.Expected > 800, result.Summary);
        Assert.Equal(result.Expected, result.Count);
        Assert.Equal(0, result.Ko);
        Assert.True(result.Passed);
        Assert.EndsWith(result.Summary + Environment.NewLine, report.ToString());
    }
}
