using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using InMemoryDb.Grains.Events;
using InMemoryDb.Grains.Fencing;
using Npgsql;
using NpgsqlTypes;
using Orleans.Storage;

namespace InMemoryDb.Grains.Persistence;

/// <summary>Settings of <see cref="PostgresGroupCommit"/> (<c>InMemoryDb:GroupCommit</c>).</summary>
public sealed class GroupCommitOptions
{
    /// <summary>
    /// Batches in flight at once. A write waits at most for the batches in flight to finish, then travels with every
    /// write queued meanwhile; more writers mean shorter waits and smaller groups.
    /// </summary>
    public int Writers { get; set; } = 2;

    /// <summary>Most state writes in one batch (one round trip, one transaction).</summary>
    public int MaxWrites { get; set; } = 128;

    /// <summary>Most payload bytes in one batch (a larger single write travels alone).</summary>
    public int MaxBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>These options, or an error naming the setting out of range (at silo configuration, not at the first write).</summary>
    public GroupCommitOptions Validated()
        => Writers < 1 || MaxWrites < 1 || MaxBytes < 1
            ? throw new InvalidOperationException($"InMemoryDb:GroupCommit: Writers ({Writers}), MaxWrites ({MaxWrites}) and MaxBytes ({MaxBytes}) must each be at least 1.")
            : this;
}

/// <summary>
/// Grain storage on PostgreSQL whose writes travel in groups: the state writes that grains of this silo make while a
/// batch is in flight are sent together as one <see cref="NpgsqlBatch"/> (one round trip, one transaction), and each is
/// acknowledged only once that transaction committed. Each write is one statement that updates (by version) or inserts
/// the grain's <c>orleansstorage</c> row and, when it was applied, inserts the events the state carries
/// (<see cref="EntityState.Events"/>) into <c>event_log</c>: an acknowledged change has its event durable by construction.
/// A version conflict is a statement's result (no row), failing only its own write. A batch the server refused as a
/// whole (nothing of it committed) is retried write by write; a batch whose fate is unknown (connection lost, time-out)
/// fails every write with that error, which the entity kernel resolves by reading back (<see cref="EntityGrain{TState}"/>).
/// Rows, hashes and versions are those of Microsoft.Orleans.Persistence.AdoNet, which stays the reader and clearer of
/// record (<paramref name="reads"/>), so <c>IPersistentState</c> ETags stay right.
/// <para>
/// Fencing: each batch begins with <c>inmemorydb_fence</c>, which refuses the whole transaction once the server's clock
/// has passed the silo's membership lease (<see cref="ISiloLease"/>), so a silo that was paused past its lease (and may
/// have been declared dead) commits nothing it had queued; a write whose call's <see cref="Deadline"/> has passed
/// leaves the queue unwritten. Both fail with a <see cref="NotPerformedException"/>: surely not written.
/// </para>
/// </summary>
public sealed partial class PostgresGroupCommit : IGrainStorage, IAsyncDisposable
{
    private const string WriteStateSql = """
        WITH updated AS (
            UPDATE orleansstorage
               SET payloadbinary = $8, modifiedon = now() AT TIME ZONE 'utc', version = version + 1
             WHERE $7::integer IS NOT NULL
               AND serviceid = $1 AND graintypestring = $2 AND grainidextensionstring = $3
               AND grainidn0 = $4 AND grainidn1 = $5 AND version = $7::integer
            RETURNING version),
        inserted AS (
            INSERT INTO orleansstorage (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring,
                                        grainidextensionstring, serviceid, payloadbinary, modifiedon, version)
            SELECT $6, $4, $5, $9, $2, $3, $1, $8, now() AT TIME ZONE 'utc', 1
             WHERE $7::integer IS NULL
            ON CONFLICT ON CONSTRAINT orleansstorage_key DO NOTHING
            RETURNING version),
        written AS (SELECT version FROM updated UNION ALL SELECT version FROM inserted)
        """;

    private static readonly string WriteSql = WriteStateSql + " SELECT version FROM written";

    // The events are inserted once per row of 'written': only when the state was written.
    private static readonly string WriteWithEventsSql =
        $"{WriteStateSql}, logged AS ({EventPositions.InsertSql(first: 11, ordinalOffset: "$10", from: "written")}) SELECT version FROM written";

    private readonly string _name;
    private readonly NpgsqlDataSource _dataSource;
    private readonly string _serviceId;
    private readonly IGrainStorage _reads;
    private readonly GroupCommitOptions _options;
    private readonly ISiloLease _lease;
    private readonly ILogger _logger;
    private readonly JsonGrainStateSerializer _serializer = new();
    private readonly ConcurrentDictionary<string, int> _typeHashes = new(StringComparer.Ordinal);
    private readonly Channel<PendingWrite> _queue = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleWriter = false });
    private readonly Task[] _writers;
    private long _batches;
    private long _writes;

    /// <summary>Starts the writers; <paramref name="reads"/> (the ADO.NET provider) serves reads and clears.</summary>
    public PostgresGroupCommit(string name, NpgsqlDataSource dataSource, string serviceId, IGrainStorage reads, GroupCommitOptions options,
        ISiloLease lease, ILogger<PostgresGroupCommit> logger)
    {
        _lease = lease;
        options.Validated();
        _name = name;
        _dataSource = dataSource;
        _serviceId = serviceId;
        _reads = reads;
        _options = options;
        _logger = logger;
        _writers = Enumerable.Range(0, options.Writers).Select(_ => Task.Run(WriteBatchesAsync)).ToArray();
    }

    /// <summary>Batches committed so far (each one transaction).</summary>
    public long Batches => Interlocked.Read(ref _batches);

    /// <summary>State writes committed so far.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => _reads.ReadStateAsync(stateName, grainId, grainState);

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => _reads.ClearStateAsync(stateName, grainId, grainState);

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var events = grainState.State is EntityState entity ? entity.Events : [];
        if (events.Length > EventPositions.MaxPerTransaction)
        {
            throw new ArgumentException($"A state write carries {events.Length} events; at most {EventPositions.MaxPerTransaction} fit one transaction.", nameof(grainState));
        }
        var key = AdoKey.Of(grainId);
        var expected = string.IsNullOrWhiteSpace(grainState.ETag) ? (int?)null : int.Parse(grainState.ETag, CultureInfo.InvariantCulture);
        var write = new PendingWrite(
            stateName, key, StableHash(key.GetHashBytes()), TypeHash(stateName), expected,
            _serializer.Serialize(grainState.State).ToArray(), events, Deadline.Current);
        if (!_queue.Writer.TryWrite(write)) throw new ObjectDisposedException(nameof(PostgresGroupCommit), "The silo is stopping: grain storage takes no more writes.");

        var version = await write.Task;
        if (version is null)
        {
            throw new InconsistentStateException(
                $"Version conflict (WriteState): ServiceId={_serviceId} ProviderName={_name} GrainType={stateName} GrainId={key} ETag={grainState.ETag}.");
        }
        grainState.ETag = version.Value.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
    }

    /// <summary>Stops taking writes and lets the writers finish what is queued.</summary>
    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers);
    }

    private async Task WriteBatchesAsync()
    {
        var batch = new List<PendingWrite>(_options.MaxWrites);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync())
        {
            batch.Clear();
            int events = 0, bytes = 0;
            while (batch.Count < _options.MaxWrites && reader.TryPeek(out var next)
                   && (batch.Count == 0 || (events + next.Events.Length <= EventPositions.MaxPerTransaction && bytes + next.Payload.Length <= _options.MaxBytes)))
            {
                if (!reader.TryRead(out next)) break;
                batch.Add(next);
                events += next.Events.Length;
                bytes += next.Payload.Length;
            }
            if (batch.Count > 0) await CommitAsync(batch);
        }
    }

    /// <summary>Commits <paramref name="batch"/> and completes each of its writes; never throws.</summary>
    private async Task CommitAsync(List<PendingWrite> batch)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        if (batch.Exists(w => w.Deadline <= now))
        {
            foreach (var late in batch.Where(w => w.Deadline <= now))
            {
                late.TrySetException(new DeadlineExceededException($"The deadline of the write passed {now - late.Deadline} ms before it could be sent: it was not written.", beforeCall: false));
            }
            batch.RemoveAll(w => w.Deadline <= now);
            if (batch.Count == 0) return;
        }
        if (!_lease.IsHeld)
        {
            try
            {
                await _lease.ConfirmAsync(beforeCall: false);
            }
            catch (SiloFencedException e)
            {
                foreach (var write in batch) write.TrySetException(e);
                return;
            }
        }

        int?[] versions;
        try
        {
            versions = await ExecuteAsync(batch, _lease.PostgresValidUntil);
        }
        catch (PostgresException e) when (e.SqlState == FenceSqlState)
        {
            // The lease ended before the server ran the batch: nothing of it is stored.
            LogFenced(_logger, batch.Count, e.MessageText);
            var fenced = new SiloFencedException($"The silo's membership lease ended before PostgreSQL ran its write ({e.MessageText}).", beforeCall: false);
            foreach (var write in batch) write.TrySetException(fenced);
            return;
        }
        catch (PostgresException e) when (batch.Count > 1)
        {
            // The server refused the transaction (it rolled back: nothing of it is stored). One write is at fault, or
            // the moment was: each write is tried alone, so only a faulty one fails.
            LogBatchRefused(_logger, e, batch.Count);
            foreach (var write in batch) await CommitAsync([write]);
            return;
        }
        catch (Exception e)
        {
            // Refused alone, or the connection failed so that the commit's fate is unknown: the writer of each grain
            // decides (the kernel reads the state back), nothing is acknowledged.
            foreach (var write in batch) write.TrySetException(e);
            return;
        }
        Interlocked.Increment(ref _batches);
        Interlocked.Add(ref _writes, batch.Count);
        for (var i = 0; i < batch.Count; i++) batch[i].TrySetResult(versions[i]);
    }

    private async Task<int?[]> ExecuteAsync(List<PendingWrite> batch, DateTime? fence)
    {
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlBatch(connection);
        if (fence is { } validUntil)
        {
            var check = new NpgsqlBatchCommand("SELECT inmemorydb_fence($1)");
            check.Parameters.Add(new NpgsqlParameter<DateTime> { TypedValue = validUntil, NpgsqlDbType = NpgsqlDbType.TimestampTz });
            command.BatchCommands.Add(check);
        }
        var ordinal = 0;
        foreach (var write in batch)
        {
            command.BatchCommands.Add(Statement(write, ordinal));
            ordinal += write.Events.Length;
        }
        var versions = new int?[batch.Count];
        await using (var reader = await command.ExecuteReaderAsync())
        {
            if (fence is not null && !await reader.NextResultAsync()) throw new InvalidOperationException("The batch returned no result after its fence.");
            for (var i = 0; i < batch.Count; i++)
            {
                if (i > 0 && !await reader.NextResultAsync()) throw new InvalidOperationException("The batch returned fewer results than it has writes.");
                versions[i] = await reader.ReadAsync() ? reader.GetInt32(0) : null;
            }
            // The implicit transaction commits when the batch ends: an error of the commit comes after the last result.
            while (await reader.NextResultAsync())
            {
            }
        }
        return versions;
    }

    private NpgsqlBatchCommand Statement(PendingWrite write, int ordinal)
    {
        var events = write.Events;
        var statement = new NpgsqlBatchCommand(events.Length == 0 ? WriteSql : WriteWithEventsSql);
        var p = statement.Parameters;
        p.Add(new NpgsqlParameter<string> { TypedValue = _serviceId });
        p.Add(new NpgsqlParameter<string> { TypedValue = write.StateName });
        p.Add(new NpgsqlParameter<string> { TypedValue = write.Key.StringKey ?? "" });
        p.Add(new NpgsqlParameter<long> { TypedValue = write.Key.N0 });
        p.Add(new NpgsqlParameter<long> { TypedValue = write.Key.N1 });
        p.Add(new NpgsqlParameter<int> { TypedValue = write.GrainIdHash });
        p.Add(write.ExpectedVersion is { } v ? new NpgsqlParameter<int> { TypedValue = v } : new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = NpgsqlDbType.Integer });
        p.Add(new NpgsqlParameter<byte[]> { TypedValue = write.Payload });
        p.Add(new NpgsqlParameter<int> { TypedValue = write.GrainTypeHash });
        if (events.Length == 0) return statement;
        p.Add(new NpgsqlParameter<int> { TypedValue = ordinal });
        EventPositions.AddEventParameters(p, events);
        return statement;
    }

    private int TypeHash(string stateName) => _typeHashes.GetOrAdd(stateName, static n => StableHash(Encoding.UTF8.GetBytes(n)));

    /// <summary>The hash Orleans' ADO.NET provider stores (its default hasher, <c>OrleansDefaultHasher</c>).</summary>
    private static int StableHash(byte[] data) => (int)Orleans.StableHash.ComputeHash(data);

    /// <summary>The SQLSTATE <c>inmemorydb_fence</c> raises.</summary>
    public const string FenceSqlState = "IMDBF";

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL refused a batch of {Count} state writes: the silo's lease had ended ({Reason})")]
    private static partial void LogFenced(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL refused a batch of {Count} state writes; writing them one by one")]
    private static partial void LogBatchRefused(ILogger logger, Exception exception, int count);

    private sealed class PendingWrite(string stateName, AdoKey key, int grainIdHash, int grainTypeHash, int? expectedVersion, byte[] payload, EventEnvelope[] events, long? deadline)
        : TaskCompletionSource<int?>(TaskCreationOptions.RunContinuationsAsynchronously)
    {
        /// <summary>The call's deadline in Unix milliseconds (<see cref="InMemoryDb.Deadline"/>); long.MaxValue: none.</summary>
        public long Deadline { get; } = deadline ?? long.MaxValue;

        public string StateName { get; } = stateName;
        public AdoKey Key { get; } = key;
        public int GrainIdHash { get; } = grainIdHash;
        public int GrainTypeHash { get; } = grainTypeHash;
        public int? ExpectedVersion { get; } = expectedVersion;
        public byte[] Payload { get; } = payload;
        public EventEnvelope[] Events { get; } = events;
    }
}

/// <summary>
/// A grain id as Microsoft.Orleans.Persistence.AdoNet stores it (its internal <c>AdoGrainKey</c>): integer and Guid
/// keys in <c>grainidn0/n1</c> with their extension, any other key as a string; and the bytes its row hash is taken of.
/// </summary>
internal readonly record struct AdoKey(long N0, long N1, string? StringKey, AdoKeyKind Kind)
{
    /// <summary>The key of <paramref name="grainId"/>, decided as the ADO.NET provider decides it.</summary>
    public static AdoKey Of(GrainId grainId)
    {
        if (grainId.TryGetGuidKey(out var guid, out var guidExtension))
        {
            var bytes = guid.ToByteArray();
            return new AdoKey(BitConverter.ToInt64(bytes, 0), BitConverter.ToInt64(bytes, 8), guidExtension, AdoKeyKind.Guid);
        }
        if (grainId.TryGetIntegerKey(out var integer, out var integerExtension))
        {
            return new AdoKey(0, integer, integerExtension, AdoKeyKind.Integer);
        }
        return new AdoKey(0, 0, grainId.Key.ToString(), AdoKeyKind.String);
    }

    /// <summary>The bytes the row's <c>grainidhash</c> is computed from.</summary>
    public byte[] GetHashBytes()
    {
        byte[]? bytes = Kind switch
        {
            AdoKeyKind.Integer => BitConverter.GetBytes(N1),
            AdoKeyKind.Guid => ToGuid().ToByteArray(),
            _ => null,
        };
        if (bytes is not null && StringKey is not null)
        {
            bytes = [.. bytes, .. Encoding.UTF8.GetBytes(StringKey)];
        }
        bytes ??= Encoding.UTF8.GetBytes(StringKey!);
        if (BitConverter.IsLittleEndian) Array.Reverse(bytes);
        return bytes;
    }

    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        AdoKeyKind.Integer => N1.ToString(CultureInfo.InvariantCulture) + (StringKey is null ? "" : "#" + StringKey),
        AdoKeyKind.Guid => ToGuid() + (StringKey is null ? "" : "#" + StringKey),
        _ => StringKey!,
    };

    private Guid ToGuid() => new((uint)(N0 & 0xffffffff), (ushort)(N0 >> 32), (ushort)(N0 >> 48),
        (byte)N1, (byte)(N1 >> 8), (byte)(N1 >> 16), (byte)(N1 >> 24), (byte)(N1 >> 32), (byte)(N1 >> 40), (byte)(N1 >> 48), (byte)(N1 >> 56));
}

/// <summary>How an <see cref="AdoKey"/> holds its grain's key.</summary>
internal enum AdoKeyKind
{
    /// <summary>A string key.</summary>
    String,

    /// <summary>An integer key (with an optional extension).</summary>
    Integer,

    /// <summary>A Guid key (with an optional extension).</summary>
    Guid,
}
