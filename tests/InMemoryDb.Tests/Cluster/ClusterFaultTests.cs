using System.Globalization;
using InMemoryDb.Tests.Infrastructure.Processes;
using Xunit.Abstractions;

namespace InMemoryDb.Tests.Cluster;

/// <summary>
/// The cluster deployment (two silos, two API nodes as Orleans clients) under faults, with 16 clients reading and
/// writing 24 keys through both API nodes, every operation recorded and checked (<see cref="FaultWorkload"/>):
/// nothing acknowledged lost, no read older than one already seen, no write landing after its deadline, each key
/// ending as its last landed write; and both nodes serve again after the fault. The figures of interest (longest
/// time without a successful operation) are printed; the benchmark (bench/run-faults.sh) repeats the pause many
/// times with 100,000 keys stored and reports them against the targets.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ClusterFaultTests(ITestOutputHelper output)
{
    /// <summary>The API nodes' request time-out (and so the deadline of every grain call and write).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(3);

    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(4);

    [Fact]
    public Task KillOfASilo() => RunAsync("kill -9", async (cluster, _) =>
    {
        cluster["silo1"].Kill();
        await Task.Delay(TimeSpan.FromSeconds(16));
    });

    [Fact]
    public Task PauseOfASiloLongerThanItsDeathTimeout() => RunAsync("kill -STOP for 12 s, then -CONT", async (cluster, workload) =>
    {
        var silo = cluster["silo1"];
        silo.Pause();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(12));
        }
        finally
        {
            silo.Resume();
        }
        var resumedAt = workload.Now;
        // Declared dead while paused, it learns so on resume and stops, serving nothing stale meanwhile.
        await Task.Delay(TimeSpan.FromSeconds(12));
        Assert.True(silo.HasExited, $"the paused silo still runs {(workload.Now - resumedAt).TotalSeconds:F1}s after it resumed, although the cluster declared it dead");
    });

    [Fact]
    public Task RestartOfEachSilo() => RunAsync("graceful restart of silo1, then of silo2", async (cluster, _) =>
    {
        foreach (var name in new[] { "silo1", "silo2" })
        {
            await cluster[name].StopAsync(TimeSpan.FromSeconds(30));
            cluster.StartSilo(name);
            await cluster.WaitForSiloAsync(name, DateTime.UtcNow + TimeSpan.FromSeconds(60));
            await Task.Delay(TimeSpan.FromSeconds(3));
        }
        await Task.Delay(TimeSpan.FromSeconds(5));
    });

    private async Task RunAsync(string fault, Func<ProcessCluster, FaultWorkload, Task> inject)
    {
        await using var cluster = new ProcessCluster(TestEnvironment.Redis);
        cluster.ApiSettings["InMemoryDb__RequestTimeout"] = RequestTimeout.ToString("c", CultureInfo.InvariantCulture);
        // While diagnosing: FAULT_SILO_SETTINGS / FAULT_API_SETTINGS="Logging__LogLevel__Orleans.Runtime=Debug;..." reach every silo / API.
        foreach (var (key, value) in Settings("FAULT_SILO_SETTINGS")) cluster.SiloSettings[key] = value;
        foreach (var (key, value) in Settings("FAULT_API_SETTINGS")) cluster.ApiSettings[key] = value;
        try
        {
            await cluster.StartAsync(["silo1", "silo2"], ["api1", "api2"]);
            using var api1 = cluster.Client("api1", TimeSpan.FromSeconds(10));
            using var api2 = cluster.Client("api2", TimeSpan.FromSeconds(10));
            var workload = new FaultWorkload(new Dictionary<string, HttpClient> { ["api1"] = api1, ["api2"] = api2 },
                "fault-" + Guid.NewGuid().ToString("N")[..8] + "-", keyCount: 24, workers: 16, RequestTimeout);
            // The benchmark (bench/run-faults.sh) stores a data set first, so fail-over re-activates from a real table.
            if (int.TryParse(Environment.GetEnvironmentVariable("FAULT_PRELOAD_KEYS"), out var preload) && preload > 0)
            {
                await Parallel.ForEachAsync(Enumerable.Range(0, preload), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
                    Assert.Equal("stored", (await api1.PutAsync($"preload-{i:D7}", $"value-{i}")).Status));
                output.WriteLine($"stored {preload} keys first");
            }
            using var stop = new CancellationTokenSource();
            var clients = workload.RunAsync(stop.Token);
            await Task.Delay(WarmUp);
            var faultAt = workload.Now;
            await inject(cluster, workload);
            var end = workload.Now;
            await stop.CancelAsync();
            await clients;

            output.WriteLine($"{fault}: {workload.Summary(faultAt, end)}");
            output.WriteLine("ok/failed per half second after the fault:");
            output.WriteLine(workload.Timeline(faultAt, faultAt + TimeSpan.FromSeconds(16)));
            if (Environment.GetEnvironmentVariable("FAULT_LOGS") == "1") output.WriteLine(cluster.Diagnostics());
            var operations = workload.Operations;
            Assert.All(operations.Where(o => o.End < faultAt), o => Assert.True(o.Ok, $"an operation failed before the fault: {o}"));
            // Healed: the last 4 s of the run served every operation, on both nodes.
            var healed = operations.Where(o => o.Start > end - TimeSpan.FromSeconds(4)).ToList();
            Assert.True(healed.Count(o => o.Node == "api1") >= 20 && healed.Count(o => o.Node == "api2") >= 20, $"too few operations at the end: {healed.Count}");
            Assert.All(healed, o => Assert.True(o.Ok, $"an operation failed at the end of the run: {o}"));

            var violations = await workload.CheckAsync(cluster.ServiceId, api2);
            Assert.True(violations.Count == 0, $"{violations.Count} violations:{Environment.NewLine}{string.Join(Environment.NewLine, violations.Take(30))}");
        }
        catch
        {
            output.WriteLine(cluster.Diagnostics());
            throw;
        }
    }

    /// <summary>The <c>KEY=VALUE;KEY=VALUE</c> pairs of an environment variable.</summary>
    private static IEnumerable<(string Key, string Value)> Settings(string variable)
        => (Environment.GetEnvironmentVariable(variable) ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries)
            .Select(setting => setting.Split('=', 2))
            .Select(parts => (parts[0], parts.Length > 1 ? parts[1] : ""));
}
