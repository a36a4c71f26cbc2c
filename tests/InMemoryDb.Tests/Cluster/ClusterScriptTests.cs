using System.Diagnostics;
using System.Globalization;
using InMemoryDb.Tests.Infrastructure.Processes;
using Xunit.Abstractions;

namespace InMemoryDb.Tests.Cluster;

/// <summary>
/// The cluster deployment as an operator runs it: <c>deploy/cluster.sh up</c> (its own PostgreSQL and Redis, two
/// silos, two API nodes, nginx), clients reading and writing through nginx and both API nodes, then
/// <c>deploy/cluster.sh restart silo1</c> and <c>restart silo2</c>: each silo rejoins the running cluster (the same
/// cluster id), every operation is checked (<see cref="FaultWorkload"/>), and the nodes serve throughout.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ClusterScriptTests(ITestOutputHelper output)
{
    private static readonly string Script = Path.Combine(BuiltBinaries.RepositoryRoot, "deploy", "cluster.sh");

    [Fact]
    public async Task EachSiloRestartedByTheScriptRejoinsItsClusterAndNothingIsLost()
    {
        // PostgreSQL runs as its own user when the tests run as root: it must reach its data folder.
        var state = Directory.CreateTempSubdirectory("inmemorydb-cluster-");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(state.FullName, (UnixFileMode)0b111_101_101);
        string Port() => TestPorts.Next().ToString(CultureInfo.InvariantCulture);
        var serviceId = "script-" + Guid.NewGuid().ToString("N")[..10];
        var (nginx, pg, api1, api2) = (Port(), Port(), Port(), Port());
        var environment = new Dictionary<string, string>
        {
            ["CLUSTER_STATE"] = state.FullName,
            ["CLUSTER_PORT"] = nginx,
            ["CLUSTER_PG_PORT"] = pg,
            ["CLUSTER_REDIS_PORT"] = Port(),
            ["CLUSTER_SILO_PORTS"] = $"{Port()} {Port()}",
            ["CLUSTER_GATEWAY_PORTS"] = $"{Port()} {Port()}",
            ["CLUSTER_API_PORTS"] = $"{api1} {api2}",
            ["CLUSTER_SERVICE_ID"] = serviceId,
        };
        try
        {
            await RunScriptAsync(environment, TimeSpan.FromMinutes(4), "up");
            var clusterId = await File.ReadAllTextAsync(Path.Combine(state.FullName, "cluster-id"));
            using var viaNginx = Client(nginx);
            using var viaApi1 = Client(api1);
            using var viaApi2 = Client(api2);
            var workload = new FaultWorkload(new Dictionary<string, HttpClient> { ["nginx"] = viaNginx, ["api1"] = viaApi1, ["api2"] = viaApi2 },
                "script-", keyCount: 24, workers: 12, TimeSpan.FromSeconds(10));
            using var stop = new CancellationTokenSource();
            var clients = workload.RunAsync(stop.Token);
            await Task.Delay(TimeSpan.FromSeconds(3));
            var restartsAt = workload.Now;
            await RunScriptAsync(environment, TimeSpan.FromMinutes(2), "restart", "silo1");
            await RunScriptAsync(environment, TimeSpan.FromMinutes(2), "restart", "silo2");
            await Task.Delay(TimeSpan.FromSeconds(3));
            var end = workload.Now;
            await stop.CancelAsync();
            await clients;

            output.WriteLine($"restart silo1, then silo2, by deploy/cluster.sh: {workload.Summary(restartsAt, end)}");
            Assert.Equal(clusterId, await File.ReadAllTextAsync(Path.Combine(state.FullName, "cluster-id")));
            Assert.All(workload.Operations.Where(o => o.End < restartsAt), o => Assert.True(o.Ok, $"an operation failed before the restarts: {o}"));
            Assert.All(workload.Operations.Where(o => o.Start > end - TimeSpan.FromSeconds(2)), o => Assert.True(o.Ok, $"an operation failed after the restarts: {o}"));
            var violations = await workload.CheckAsync(serviceId, viaNginx, $"Host=127.0.0.1;Port={pg};Username=postgres;Database=inmemorydb");
            Assert.True(violations.Count == 0, $"{violations.Count} violations:{Environment.NewLine}{string.Join(Environment.NewLine, violations.Take(30))}");
        }
        catch
        {
            foreach (var log in Directory.EnumerateFiles(state.FullName, "*.log"))
            {
                output.WriteLine($"===== {Path.GetFileName(log)} =====");
                output.WriteLine(string.Join(Environment.NewLine, File.ReadLines(log).TakeLast(60)));
            }
            throw;
        }
        finally
        {
            await RunScriptAsync(environment, TimeSpan.FromMinutes(2), "down");
            state.Delete(recursive: true);
        }
    }

    private static HttpClient Client(string port)
        => new(new SocketsHttpHandler { UseProxy = false, MaxConnectionsPerServer = 64 }) { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(15) };

    private async Task RunScriptAsync(Dictionary<string, string> environment, TimeSpan timeout, params string[] arguments)
    {
        var info = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Script);
        foreach (var argument in arguments) info.ArgumentList.Add(argument);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var wait = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"deploy/cluster.sh {string.Join(' ', arguments)} did not finish within {timeout}: {await stderr}");
        }
        var text = (await stdout) + (await stderr);
        output.WriteLine($"$ deploy/cluster.sh {string.Join(' ', arguments)}{Environment.NewLine}{text.TrimEnd()}");
        Assert.True(process.ExitCode == 0, $"deploy/cluster.sh {string.Join(' ', arguments)} exited with {process.ExitCode}");
    }
}
