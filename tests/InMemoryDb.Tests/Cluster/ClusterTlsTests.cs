using System.Diagnostics;
using System.Security.Cryptography.X509Certificates;
using InMemoryDb.KeyValue;
using InMemoryDb.Silo.Hosting;
using InMemoryDb.Tests.Infrastructure.Processes;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans;
using Orleans.Hosting;
using Orleans.Connections.Security;
using Xunit.Abstractions;

namespace InMemoryDb.Tests.Cluster;

/// <summary>
/// The cluster's Orleans ports take only cluster members: against a silo process with TLS on, an Orleans client
/// without TLS, one with TLS but no certificate, and one with a certificate of another CA cannot call a grain (the
/// silo refuses each handshake; the client retries until its bound expires), while a client with a member certificate can. Without TLS a Redis-clustered silo
/// refuses to start off loopback, and warns on loopback.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class ClusterTlsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan AttackBound = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task OnlyClientsWithAMemberCertificateReachTheGateway()
    {
        await using var cluster = new ProcessCluster(TestEnvironment.Redis);
        try
        {
            await cluster.StartAsync(["silo1"], []);
            Assert.True(cluster["silo1"].HasPrinted(ProcessCluster.SiloStarted));

            var member = await CallAsync(cluster, client => client.AddInMemoryDbClient(Configuration(cluster, TestCertificates.Shared.PfxEnvironment())), Bound);
            Assert.True(member.Error is null, $"a client with a member certificate failed: {member.Error}");

            using var stranger = X509Certificate2.CreateFromPemFile(TestCertificates.Shared.StrangerCertificatePath, TestCertificates.Shared.StrangerKeyPath);
            var attackers = new (string Name, Action<IClientBuilder> Configure)[]
            {
                ("no TLS", client => client.AddInMemoryDbClient(Configuration(cluster, []))),
                // TLS that accepts any silo but presents no certificate.
                ("TLS without a certificate", client => client.AddInMemoryDbClient(Configuration(cluster, [])).UseTls(tls =>
                {
                    tls.ClientCertificateMode = RemoteCertificateMode.NoCertificate;
                    tls.AllowAnyRemoteCertificate();
                })),
                // TLS that accepts any silo and presents a certificate of another CA (same subject as the members').
                ("a certificate of another CA", client => client.AddInMemoryDbClient(Configuration(cluster, [])).UseTls(stranger, tls =>
                {
                    tls.ClientCertificateMode = RemoteCertificateMode.RequireCertificate;
                    tls.AllowAnyRemoteCertificate();
                })),
            };
            // The client keeps retrying a gateway that refuses it, so "refused" is: no grain call within the bound, while
            // the silo logs each refused handshake.
            var attempts = await Task.WhenAll(attackers.Select(a => CallAsync(cluster, a.Configure, AttackBound)));
            foreach (var ((name, _), attempt) in attackers.Zip(attempts))
            {
                output.WriteLine($"{name}: no call after {attempt.Elapsed.TotalSeconds:F1}s ({attempt.Error?.GetType().Name}: {attempt.Error?.Message})");
                Assert.True(attempt.Error is not null, $"a client with {name} called a grain of the TLS cluster");
                Assert.True(attempt.Elapsed < AttackBound + TimeSpan.FromSeconds(10), $"a client with {name} took {attempt.Elapsed} to give up");
            }
            var refusals = cluster["silo1"].RecentOutput().Split(Environment.NewLine)
                .Where(l => l.Contains("TlsServerConnectionMiddleware", StringComparison.Ordinal) && l.Contains("Authentication failed", StringComparison.Ordinal))
                .Select(l => l[(l.IndexOf("Authentication failed", StringComparison.Ordinal))..].Split("   at ")[0]).ToList();
            output.WriteLine($"the silo refused {refusals.Count} handshakes:{Environment.NewLine}{string.Join(Environment.NewLine, refusals.Distinct())}");
            Assert.NotEmpty(refusals);
            Assert.False(cluster["silo1"].HasExited);
        }
        catch
        {
            output.WriteLine(cluster.Diagnostics());
            throw;
        }
    }

    [Fact]
    public async Task WithoutTlsARedisClusteredSiloRefusesToStartOffLoopbackAndWarnsOnLoopback()
    {
        await using var cluster = new ProcessCluster(TestEnvironment.Redis, withoutTls: true);
        try
        {
            // A documentation address (TEST-NET-1): the silo must refuse before it binds or registers anything.
            await using var refused = ServiceProcess.Start("refused", BuiltBinaries.DotnetHost, [BuiltBinaries.Silo], Path.GetDirectoryName(BuiltBinaries.Silo)!,
                new Dictionary<string, string?>(cluster.ClientEnvironment())
                {
                    ["ConnectionStrings__Postgres"] = TestEnvironment.Postgres,
                    ["Orleans__AdvertisedIP"] = "192.0.2.1",
                    ["Orleans__SiloPort"] = TestPorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["Orleans__GatewayPort"] = TestPorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
                });
            var exit = await refused.WaitForExitAsync(Bound);
            output.WriteLine(refused.RecentOutput());
            Assert.Equal(2, exit);
            Assert.Contains("Orleans:Tls:CertificatePath is not set, and this silo would listen on 192.0.2.1", refused.RecentOutput());

            await cluster.StartAsync(["silo1"], []);
            Assert.Contains("Orleans TLS is off: the silo and gateway ports (127.0.0.1:", cluster["silo1"].RecentOutput());
        }
        catch
        {
            output.WriteLine(cluster.Diagnostics());
            throw;
        }
    }

    private static IConfiguration Configuration(ProcessCluster cluster, Dictionary<string, string?> tls)
        => new ConfigurationBuilder().AddInMemoryCollection(cluster.ClientEnvironment().Where(e => !e.Key.StartsWith("Orleans__Tls__", StringComparison.Ordinal))
            .Concat(tls).Select(e => new KeyValuePair<string, string?>(e.Key.Replace("__", ":", StringComparison.Ordinal), e.Value))).Build();

    /// <summary>Starts an Orleans client in this process and puts a key through it; the error, if any, and how long it took.</summary>
    private static async Task<(Exception? Error, TimeSpan Elapsed)> CallAsync(ProcessCluster cluster, Action<IClientBuilder> configure, TimeSpan bound)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.UseOrleansClient(configure);
        using var host = builder.Build();
        var watch = Stopwatch.StartNew();
        try
        {
            using var timeout = new CancellationTokenSource(bound);
            await host.StartAsync(timeout.Token);
            var grains = host.Services.GetRequiredService<IClusterClient>();
            var key = $"tls/{Guid.NewGuid():N}";
            var put = await grains.GetGrain<IKeyValueGrain>(KeyValueKeys.GrainKey(key)).PutAsync(key, "over TLS", timestamp: null).WaitAsync(timeout.Token);
            return put.Value is null ? (new InvalidOperationException($"put answered {put.Kind}: {put.Detail}"), watch.Elapsed) : (null, watch.Elapsed);
        }
        catch (Exception e)
        {
            return (e, watch.Elapsed);
        }
        finally
        {
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try
            {
                await host.StopAsync(stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or InvalidOperationException or Orleans.Runtime.OrleansException)
            {
                // A client that never connected may not stop cleanly.
            }
        }
    }
}
