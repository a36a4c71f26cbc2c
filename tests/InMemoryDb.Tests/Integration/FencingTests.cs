using InMemoryDb.Grains;
using InMemoryDb.Grains.Fencing;
using InMemoryDb.Grains.Persistence;
using InMemoryDb.Grains.Tables;
using InMemoryDb.KeyValue;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Storage;

namespace InMemoryDb.Tests.Integration;

/// <summary>
/// The pieces that keep late and stale work out, each on the real PostgreSQL: a call past its deadline is refused
/// before it runs, a write past its deadline is not committed, the database refuses a batch once the silo's lease
/// ended in the server's clock, and a silo finding itself dead in the membership table is fenced for good.
/// </summary>
public sealed class FencingTests
{
    [Fact]
    public async Task ACallPastItsDeadlineIsRefusedBeforeItRunsAndChangesNothing()
    {
        await using var factory = new ApiFactory(TestEnvironment.Postgres);
        factory.CreateClient();
        var grains = factory.Services.GetRequiredService<IGrainFactory>();
        var key = $"late-{Guid.NewGuid():N}";
        var grain = grains.GetGrain<IKeyValueGrain>(KeyValueKeys.GrainKey(key));

        RequestContext.Set(Deadline.Key, DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeMilliseconds());
        var refused = await Assert.ThrowsAsync<DeadlineExceededException>(() => grain.PutAsync(key, "late", null));
        Assert.True(refused.BeforeCall);
        RequestContext.Clear();

        Assert.Null(await grain.GetAsync());
        RequestContext.Set(Deadline.Key, DateTimeOffset.UtcNow.AddSeconds(10).ToUnixTimeMilliseconds());
        Assert.Equal(OutcomeKind.Ok, (await grain.PutAsync(key, "in time", null)).Kind);
        RequestContext.Clear();
        Assert.Equal("in time", (await grain.GetAsync())!.Entry.Value);
    }

    [Fact]
    public async Task AWritePastItsDeadlineIsNotCommitted()
    {
        await using var factory = new ApiFactory(TestEnvironment.Postgres);
        factory.CreateClient();
        var storage = factory.Services.GetRequiredKeyedService<IGrainStorage>(ProviderNames.Storage);
        var id = GrainId.Create("unique", $"t/{Guid.NewGuid()}");
        try
        {
            RequestContext.Set(Deadline.Key, DateTimeOffset.UtcNow.AddMilliseconds(-1).ToUnixTimeMilliseconds());
            var late = new TestGrainState<UniqueValueState> { State = new UniqueValueState { Owner = "late" } };
            var refused = await Assert.ThrowsAsync<DeadlineExceededException>(() => storage.WriteStateAsync("unique", id, late));
            Assert.False(refused.BeforeCall);
        }
        finally
        {
            RequestContext.Clear();
        }
        var read = new TestGrainState<UniqueValueState>();
        await storage.ReadStateAsync("unique", id, read);
        Assert.False(read.RecordExists);
    }

    [Fact]
    public async Task TheDatabaseRefusesABatchOnceTheLeaseEndedInItsOwnClock()
    {
        await using var factory = new ApiFactory(TestEnvironment.Postgres);
        factory.CreateClient();
        var dataSource = factory.Services.GetRequiredService<NpgsqlDataSource>();
        var reads = factory.Services.GetRequiredKeyedService<IGrainStorage>(ProviderNames.StorageReads);
        var serviceId = "fence-" + Guid.NewGuid().ToString("N")[..10];
        var serverNow = await ServerNowAsync(dataSource);
        var ended = new FixedLease(serverNow.AddMilliseconds(-1));
        var running = new FixedLease(serverNow.AddMinutes(1));
        await using var fenced = new PostgresGroupCommit("fenced", dataSource, serviceId, reads, new GroupCommitOptions(), ended, NullLogger<PostgresGroupCommit>.Instance);
        await using var live = new PostgresGroupCommit("live", dataSource, serviceId, reads, new GroupCommitOptions(), running, NullLogger<PostgresGroupCommit>.Instance);
        var id = GrainId.Create("unique", $"t/{Guid.NewGuid()}");

        var stale = new TestGrainState<UniqueValueState> { State = new UniqueValueState { Owner = "stale" } };
        var refused = await Assert.ThrowsAsync<SiloFencedException>(() => fenced.WriteStateAsync("unique", id, stale));
        Assert.False(refused.BeforeCall);
        Assert.Equal(0, await RowsAsync(dataSource, serviceId));

        var current = new TestGrainState<UniqueValueState> { State = new UniqueValueState { Owner = "current" } };
        await live.WriteStateAsync("unique", id, current);
        Assert.Equal(1, await RowsAsync(dataSource, serviceId));
    }

    [Fact]
    public async Task ASiloTheMembershipTableCallsDeadIsFencedForGood()
    {
        await using var factory = new ApiFactory(TestEnvironment.Postgres);
        factory.CreateClient();
        var dataSource = factory.Services.GetRequiredService<NpgsqlDataSource>();
        var silo = SiloAddress.New(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, 11111), 1);
        var table = new OneRowTable(silo, SiloStatus.Active);
        var membership = Options.Create(new ClusterMembershipOptions { ProbeTimeout = TimeSpan.FromSeconds(2), MinProbeTimeout = TimeSpan.FromSeconds(2), NumMissedProbesLimit = 3 });
        using var lease = new MembershipLease(table, new Details(silo), dataSource, membership, Options.Create(new LeaseOptions()), NullLogger<MembershipLease>.Instance);

        await lease.ConfirmAsync(beforeCall: false);
        Assert.True(lease.IsHeld);
        var serverNow = await ServerNowAsync(dataSource);
        // Two thirds of the shortest death declaration (3 × 2 s), from a server time taken before the row was read.
        var remaining = lease.PostgresValidUntil!.Value - serverNow;
        Assert.InRange(remaining, TimeSpan.FromSeconds(3), TimeSpan.FromSeconds(4));

        table.Status = SiloStatus.Dead;
        var fenced = await Assert.ThrowsAsync<SiloFencedException>(() => lease.ConfirmAsync(beforeCall: true));
        Assert.True(fenced.BeforeCall);
        Assert.False(lease.IsHeld);
        table.Status = SiloStatus.Active;
        await Assert.ThrowsAsync<SiloFencedException>(() => lease.ConfirmAsync(beforeCall: true));
        Assert.False(lease.IsHeld);
    }

    /// <summary>The PostgreSQL server's clock.</summary>
    private static async Task<DateTime> ServerNowAsync(NpgsqlDataSource dataSource)
    {
        await using var command = dataSource.CreateCommand("SELECT clock_timestamp()");
        return DateTime.SpecifyKind((DateTime)(await command.ExecuteScalarAsync())!, DateTimeKind.Utc);
    }

    private static async Task<long> RowsAsync(NpgsqlDataSource dataSource, string serviceId)
    {
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM orleansstorage WHERE serviceid = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private sealed class FixedLease(DateTime postgresValidUntil) : ISiloLease
    {
        public bool IsHeld => true;

        public DateTime? PostgresValidUntil => postgresValidUntil;

        public Task ConfirmAsync(bool beforeCall) => Task.CompletedTask;
    }

    private sealed class Details(SiloAddress silo) : ILocalSiloDetails
    {
        public string Name => "test-silo";

        public string ClusterId => "test";

        public string DnsHostName => "localhost";

        public SiloAddress SiloAddress => silo;

        public SiloAddress GatewayAddress => silo;
    }

    /// <summary>A membership table holding one row, whose status the test sets.</summary>
    private sealed class OneRowTable(SiloAddress silo, SiloStatus status) : IMembershipTable
    {
        public SiloStatus Status { get; set; } = status;

        public Task<MembershipTableData> ReadRow(SiloAddress key) => Task.FromResult(Data());

        public Task<MembershipTableData> ReadAll() => Task.FromResult(Data());

        public Task InitializeMembershipTable(bool tryInitTableVersion) => Task.CompletedTask;

        public Task DeleteMembershipTableEntries(string clusterId) => throw new NotSupportedException();

        public Task CleanupDefunctSiloEntries(DateTimeOffset beforeDate) => throw new NotSupportedException();

        public Task<bool> InsertRow(MembershipEntry entry, TableVersion tableVersion) => throw new NotSupportedException();

        public Task<bool> UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) => throw new NotSupportedException();

        public Task UpdateIAmAlive(MembershipEntry entry) => throw new NotSupportedException();

        private MembershipTableData Data()
            => new(Tuple.Create(new MembershipEntry { SiloAddress = silo, Status = Status, SiloName = "test-silo" }, "1"), new TableVersion(1, "1"));
    }
}
