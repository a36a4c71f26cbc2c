using System.Globalization;
using System.Net;
using InMemoryDb.Tests.Infrastructure.Processes;
using Xunit.Abstractions;

namespace InMemoryDb.Tests.Cluster;

/// <summary>
/// Last-writer-wins across two API instances of one cluster (as behind a load balancer), and the sample client
/// of another .NET service calling the same cluster's grains through Redis clustering (over Orleans TLS, as every
/// process cluster).
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class TwoApiClusterTests(TwoApiClusterFixture fixture, ITestOutputHelper output) : IClassFixture<TwoApiClusterFixture>
{
    private ProcessCluster Cluster => fixture.Cluster;

    [Fact]
    public async Task OutOfOrderOperationsAcrossTwoApisEndInTheNewest()
    {
        using var api1 = Cluster.Client("api1");
        using var api2 = Cluster.Client("api2");
        var apis = new[] { api1, api2 };
        var random = new Random(4);
        var baseMs = 1_700_000_000_000L;

        await Parallel.ForEachAsync(Enumerable.Range(0, 40), async (k, _) =>
        {
            var key = $"lww/{Guid.NewGuid():N}/{k}";
            // Six operations with distinct timestamps, every third a delete, sent in a random order alternating APIs.
            var operations = Enumerable.Range(1, 6).Select(n => (Ms: baseMs + n * 1000, Value: n % 3 == 0 ? null : $"v{n}")).ToArray();
            var order = operations.OrderBy(_ => random.Next()).ToArray();
            var newestSoFar = long.MinValue;
            for (var i = 0; i < order.Length; i++)
            {
                var (ms, value) = order[i];
                var api = apis[i % 2];
                var answer = value is null
                    ? await api.DeleteKeyAsync(key, ms.ToString(CultureInfo.InvariantCulture))
                    : await api.PutAsync(key, value, ms);
                var expectedStatus = ms < newestSoFar ? "ignored" : value is null ? "deleted" : "stored";
                Assert.True(expectedStatus == answer.Status, $"{key}: operation at {ms} answered {answer.Body}, expected {expectedStatus}");
                newestSoFar = Math.Max(newestSoFar, ms);
            }

            var newest = operations.MaxBy(o => o.Ms);
            foreach (var api in apis)
            {
                var read = await api.GetKeyAsync(key);
                Assert.Equal(newest.Value is null ? HttpStatusCode.NotFound : HttpStatusCode.OK, read.Code);
                Assert.Equal(newest.Value, read.Value);
            }
        });
    }

    [Fact]
    public async Task ConcurrentWritesThroughTwoApisConvergeOnTheNewestTimestamp()
    {
        using var api1 = Cluster.Client("api1");
        using var api2 = Cluster.Client("api2");
        var key = $"race/{Guid.NewGuid():N}";
        var timestamps = Enumerable.Range(0, 60).Select(i => DateTimeOffset.UnixEpoch.AddDays(20000).AddTicks(i * 7919 % 60 * 10)).ToArray();

        var answers = await Task.WhenAll(timestamps.Select((t, i) => (i % 2 == 0 ? api1 : api2).PutAsync(key, $"at-{t.UtcTicks}", t.ToString("O", CultureInfo.InvariantCulture))));
        Assert.All(answers, a => Assert.Contains(a.Status, new[] { "stored", "ignored" }));
        // Same timestamp, delete versus put: the delete wins the tie in any order.
        var newest = timestamps.Max();
        Assert.Equal("deleted", (await api2.DeleteKeyAsync(key, newest.ToString("O", CultureInfo.InvariantCulture))).Status);
        Assert.Equal("ignored", (await api1.PutAsync(key, "zzz", newest.ToString("O", CultureInfo.InvariantCulture))).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await api1.GetKeyAsync(key)).Code);

        var other = $"race/{Guid.NewGuid():N}";
        await Task.WhenAll(timestamps.Select((t, i) => (i % 2 == 0 ? api1 : api2).PutAsync(other, $"at-{t.UtcTicks}", t.ToString("O", CultureInfo.InvariantCulture))));
        Assert.Equal($"at-{newest.UtcTicks}", (await api1.GetKeyAsync(other)).Value);
        Assert.Equal($"at-{newest.UtcTicks}", (await api2.GetKeyAsync(other)).Value);
    }

    [Fact]
    public async Task PlatformRepliesReadBackOnTheOtherApiNodeAndRulesHoldAcrossNodes()
    {
        using var api1 = Cluster.Client("api1");
        using var api2 = Cluster.Client("api2");
        var created = await api1.OkAsync(HttpMethod.Post, "/usuarios");
        var userId = created["usuario"]!.Id();
        var status = await (await api2.GetAsync((string)created["status_url"]!)).JsonAsync();
        Assert.Equal("success", (string)status["status"]!);
        Assert.Equal(userId, status["usuario"]!.Id());

        // Subscriptions through both nodes at once: one active.
        await Task.WhenAll(Enumerable.Range(0, 8).Select(i => (i % 2 == 0 ? api1 : api2).OkAsync(HttpMethod.Post, $"/usuarios/{userId}/assinatura")));
        var history = (await api2.OkAsync(HttpMethod.Get, $"/usuarios/{userId}/assinatura"))["historico"]!.AsArray();
        Assert.Equal(8, history.Count);
        Assert.Single(history, a => (string)a!["status"]! == "ativa");

        // One payment per idempotency key, whichever node each retry reaches.
        var key = Guid.NewGuid().ToString();
        var payments = await Task.WhenAll(Enumerable.Range(0, 6).Select(i =>
            (i % 2 == 0 ? api1 : api2).OkAsync(HttpMethod.Post, $"/usuarios/{userId}/pagamento?valor=12.34", null, ("Idempotency-Key", key))));
        Assert.Single(payments.Select(p => (string)p["pagamento"]!["id"]!).Distinct());
        Assert.Equal(1, (int)(await api1.OkAsync(HttpMethod.Get, $"/usuarios/{userId}/pagamentos"))["total"]!);
    }

    [Fact]
    public async Task SampleClientCallsTheClusterThroughRedis()
    {
        using var api1 = Cluster.Client("api1");
        var fromHttp = $"sample/http/{Guid.NewGuid():N}";
        var fromSample = $"sample/client/{Guid.NewGuid():N}";
        Assert.Equal("stored", (await api1.PutAsync(fromHttp, "written over HTTP")).Status);

        await using var sample = ServiceProcess.Start("sample", BuiltBinaries.DotnetHost,
            [BuiltBinaries.SampleClient, "get", fromHttp, "put", fromSample, "written by the sample", "get", fromSample, "count", "platform"],
            Path.GetDirectoryName(BuiltBinaries.SampleClient)!,
            Cluster.ClientEnvironment());
        var exit = await sample.WaitForExitAsync(TimeSpan.FromSeconds(60));
        var printed = sample.RecentOutput();
        output.WriteLine(printed);
        Assert.True(exit == 0, printed);
        Assert.Contains($"get {fromHttp} -> written over HTTP", printed);
        Assert.Contains($"put {fromSample} -> Stored", printed);
        Assert.Contains($"get {fromSample} -> written by the sample", printed);
        Assert.Contains("count -> ", printed);
        // The streaming platform through the grains, its reply and its event seen on the two streams.
        Assert.Contains("platform -> reply on response_events: criar_usuario success", printed);
        Assert.Contains("platform -> event on the log: criar_usuario usuarios/", printed);

        using var api2 = Cluster.Client("api2");
        var read = await api2.GetKeyAsync(fromSample);
        Assert.Equal("written by the sample", read.Value);
    }
}
