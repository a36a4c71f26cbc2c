using System.Collections.Concurrent;
using System.Net;
using InMemoryDb.Tests.Infrastructure.Processes;
using Xunit.Abstractions;

namespace InMemoryDb.Tests.Cluster;

/// <summary>
/// A full restart of the cluster deployment: everything but PostgreSQL stops (APIs, silos and Redis, whose
/// membership table is lost), then a new Redis and a new cluster start. Every acknowledged key is there, loaded
/// from PostgreSQL on its first read and served from memory on the second; deleted keys stay deleted. The new Redis
/// requires a password, as in docker-compose.yml (<c>ConnectionStrings:Redis</c> with <c>,password=</c>).
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class RestartTests(ITestOutputHelper output)
{
    private const int KeyCount = 300;

    [Fact]
    public async Task EveryAcknowledgedKeyIsThereAfterAFullRestart()
    {
        var serviceId = "restart-" + Guid.NewGuid().ToString("N")[..12];
        var expected = new ConcurrentDictionary<string, string?>(StringComparer.Ordinal);

        await using (var redis = await RedisServer.StartAsync())
        await using (var first = new ProcessCluster(redis.ConnectionString, serviceId))
        {
            try
            {
                await first.StartAsync(["silo1", "silo2"], ["api1"]);
                using var http = first.Client("api1");
                await Parallel.ForEachAsync(Enumerable.Range(0, KeyCount), new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (i, _) =>
                {
                    var key = i % 3 == 0 ? $"restart/{i}" : $"{i:D5}";
                    Assert.Equal("stored", (await http.PutAsync(key, $"v1-{i}")).Status);
                    expected[key] = $"v1-{i}";
                    if (i % 4 == 1)
                    {
                        Assert.Equal("stored", (await http.PutAsync(key, $"v2-{i}")).Status);
                        expected[key] = $"v2-{i}";
                    }
                    if (i % 5 == 2)
                    {
                        Assert.Equal("deleted", (await http.DeleteKeyAsync(key)).Status);
                        expected[key] = null;
                    }
                });
                await first.StopAllAsync();
                await redis.StopAsync();
            }
            catch
            {
                output.WriteLine(first.Diagnostics());
                throw;
            }
        }

        await using var newRedis = await RedisServer.StartAsync("redis2", password: "redis-" + Guid.NewGuid().ToString("N")[..12]);
        await using var second = new ProcessCluster(newRedis.ConnectionString, serviceId);
        try
        {
            await second.StartAsync(["silo1", "silo2"], ["api1"]);
            using var http = second.Client("api1");
            foreach (var (key, value) in expected)
            {
                var read = await http.GetKeyAsync(key);
                if (value is null)
                {
                    Assert.True(read.Code == HttpStatusCode.NotFound, $"deleted {key} reads {read.Body}");
                    continue;
                }
                Assert.True(read.Code == HttpStatusCode.OK, $"{key} reads {read.Body}");
                Assert.Equal(value, read.Value);
                // From the index (loaded from PostgreSQL at the start), or through the key's grain while it loads.
                Assert.Contains(read.Source, new[] { "memory", "postgres" });
            }

            // Tombstones are durable too: a write older than the delete still cannot bring a key back.
            var deleted = expected.First(e => e.Value is null).Key;
            Assert.Equal("ignored", (await http.PutAsync(deleted, "resurrected?", 1)).Status);
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetKeyAsync(deleted)).Code);

            // Listings wait for the index to finish loading (503 with Retry-After until then).
            await Eventually.Poll(async () => (await http.GetAsync("/health")).StatusCode, code => code == HttpStatusCode.OK);
            var live = expected.Where(e => e.Value is not null).Select(e => (e.Key, e.Value!)).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
            Assert.Equal(live, await http.ListAllAsync(pageSize: 64));
        }
        catch
        {
            output.WriteLine(second.Diagnostics());
            throw;
        }
    }
}
