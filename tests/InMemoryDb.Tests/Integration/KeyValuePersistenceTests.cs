using System.Net;

namespace InMemoryDb.Tests.Integration;

/// <summary>The key-value store on a persistent single node: values and tombstones survive a restart, and reads say where they came from.</summary>
public sealed class KeyValuePersistenceTests
{
    [Fact]
    public async Task ReadsAfterARestartComeFromPostgresFirstThenFromMemory()
    {
        var serviceId = "kv-" + Guid.NewGuid().ToString("N")[..12];
        await using (var first = new ApiFactory(TestEnvironment.Postgres, serviceId))
        {
            var client = first.CreateClient();
            Assert.Equal("stored", (await client.PutAsync("kept", "value")).Status);
            Assert.Equal("memory", (await client.GetKeyAsync("kept")).Source);
            Assert.Equal("stored", (await client.PutAsync("gone", "value", "2030-01-01T00:00:00Z")).Status);
            Assert.Equal("deleted", (await client.DeleteKeyAsync("gone", "2030-01-01T00:00:01Z")).Status);
        }

        await using var second = new ApiFactory(TestEnvironment.Postgres, serviceId);
        var again = second.CreateClient();
        var read = await again.GetKeyAsync("kept");
        Assert.Equal(("value", "postgres"), (read.Value, read.Source));
        Assert.Equal("memory", (await again.GetKeyAsync("kept")).Source);
        Assert.Equal([("kept", "value")], await again.ListAllAsync());

        Assert.Equal("ignored", (await again.PutAsync("gone", "late", "2030-01-01T00:00:00.5Z")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await again.GetKeyAsync("gone")).Code);
        Assert.Equal("postgres", (await (await again.GetAsync("/health")).JsonAsync())["storage"]!.GetValue<string>());
    }
}
