using InMemoryDb.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans.Configuration;
using Orleans.Hosting;

namespace InMemoryDb.Tests.Unit;

/// <summary>The memory budget in bytes becomes Orleans' activation shedding, and per-kind collection ages.</summary>
public sealed class MemoryBudgetTests
{
    private const long MiB = 1024 * 1024;

    [Fact]
    public void ABudgetInBytesBecomesOrleansPercentagesOfTheMemoryTheProcessMayUse()
    {
        var (limit, target) = MemoryBudget.Percentages(512 * MiB, 0.8, 8192 * MiB);
        Assert.Equal(6.25, limit, 6);
        Assert.Equal(5.0, target, 6);
        Assert.Throws<InvalidOperationException>(() => MemoryBudget.Percentages(32 * MiB, 0.8, 8192 * MiB));
        Assert.Throws<InvalidOperationException>(() => MemoryBudget.Percentages(512 * MiB, 1.2, 8192 * MiB));
        Assert.Throws<InvalidOperationException>(() => MemoryBudget.Percentages(9000 * MiB, 0.8, 8192 * MiB));
    }

    [Fact]
    public void TheBudgetAndCollectionAgesReachGrainCollection()
    {
        var options = Configure(("InMemoryDb:Memory:BudgetBytes", (256 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("InMemoryDb:Memory:CollectionAge:kv", "00:02:00"), ("InMemoryDb:Memory:CollectionAge:person", "00:05:00"));
        Assert.True(options.EnableActivationSheddingOnMemoryPressure);
        var expected = 100.0 * 256 * MiB / MemoryBudget.MaximumAvailableMemoryBytes();
        Assert.Equal(expected, options.MemoryUsageLimitPercentage, 6);
        Assert.Equal(expected * 0.8, options.MemoryUsageTargetPercentage, 6);
        Assert.Equal(TimeSpan.FromMinutes(2), options.ClassSpecificCollectionAge["InMemoryDb.Grains.KeyValue.KeyValueGrain"]);
        Assert.Equal(TimeSpan.FromMinutes(5), options.ClassSpecificCollectionAge["InMemoryDb.Grains.Pessoas.PessoaGrain"]);

        var none = Configure();
        Assert.False(none.EnableActivationSheddingOnMemoryPressure);
        Assert.Equal(TimeSpan.FromMinutes(1), none.ClassSpecificCollectionAge["InMemoryDb.Grains.KeyValue.KeyValueGrain"]);
        Assert.Equal(TimeSpan.FromMinutes(1), none.ClassSpecificCollectionAge["InMemoryDb.Grains.Tables.RecordGrain"]);
        Assert.Equal(MemoryBudget.CollectionQuantum, none.CollectionQuantum);
        Assert.Throws<InvalidOperationException>(() => Configure(("InMemoryDb:Memory:CollectionAge:kv", "00:00:00.5")));
        Assert.Throws<InvalidOperationException>(() => Configure(("InMemoryDb:Memory:CollectionAge:widgets", "00:02:00")));
    }

    [Fact]
    public void AFullCompactionRunsOnlyOverTheBudgetWithMuchFreeHeap()
    {
        Assert.True(MemoryBudgetWatch.ShouldCompact(700 * MiB, 512 * MiB, 500 * MiB, 200 * MiB));
        Assert.False(MemoryBudgetWatch.ShouldCompact(500 * MiB, 512 * MiB, 500 * MiB, 200 * MiB)); // under the budget
        Assert.False(MemoryBudgetWatch.ShouldCompact(700 * MiB, 512 * MiB, 500 * MiB, 50 * MiB)); // little to give back
        Assert.False(MemoryBudgetWatch.ShouldCompact(700 * MiB, 512 * MiB, 0, 0));
    }

    [Fact]
    public void ABudgetStartsTheWatchAndNoBudgetDoesNot()
    {
        static int Watches(params (string Key, string Value)[] settings)
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value)).Build();
            var services = new ServiceCollection();
            new Builder(services).AddMemoryBudget(configuration);
            return services.Count(d => d.ServiceType == typeof(Microsoft.Extensions.Hosting.IHostedService));
        }
        Assert.Equal(1, Watches(("InMemoryDb:Memory:BudgetBytes", (256 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture))));
        Assert.Equal(0, Watches());
    }

    private static GrainCollectionOptions Configure(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings.ToDictionary(s => s.Key, s => (string?)s.Value)).Build();
        var services = new ServiceCollection();
        new Builder(services).AddMemoryBudget(configuration);
        return services.BuildServiceProvider().GetRequiredService<IOptions<GrainCollectionOptions>>().Value;
    }

    private sealed class Builder(IServiceCollection services) : ISiloBuilder
    {
        public IServiceCollection Services { get; } = services;

        public IConfiguration Configuration { get; } = new ConfigurationBuilder().Build();
    }
}
