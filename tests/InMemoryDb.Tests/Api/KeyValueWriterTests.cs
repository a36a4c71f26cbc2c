using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;

namespace InMemoryDb.Tests.Api;

/// <summary>Key-value writes are made by the index partitions: no grain per key is activated to write or read.</summary>
public sealed class KeyValueWriterTests
{
    [Fact]
    public async Task PutsAndDeletesOverHttpActivateNoKeyGrain()
    {
        await using var api = new ApiFactory();
        var client = api.CreateClient();
        var prefix = "writer-" + Guid.NewGuid().ToString("N")[..8];
        for (var i = 0; i < 50; i++) Assert.Equal("stored", (await client.PutAsync($"{prefix}/{i}", $"v{i}")).Status);
        for (var i = 0; i < 50; i++) Assert.Equal("stored", (await client.PutAsync($"{prefix}/{i}", $"w{i}")).Status);
        for (var i = 0; i < 10; i++) Assert.Equal("deleted", (await client.DeleteKeyAsync($"{prefix}/{i}")).Status);
        Assert.Equal("w10", (await client.GetKeyAsync($"{prefix}/10")).Value);

        var management = api.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0);
        var statistics = await management.GetSimpleGrainStatistics();
        var keyGrains = statistics.Where(s => s.GrainType.Contains("KeyValueGrain", StringComparison.Ordinal) && !s.GrainType.Contains("Index", StringComparison.Ordinal)).Sum(s => s.ActivationCount);
        Assert.Equal(0, keyGrains);
        Assert.Contains(statistics, s => s.GrainType.Contains("KeyValueIndexGrain", StringComparison.Ordinal) && s.ActivationCount > 0);
    }
}
