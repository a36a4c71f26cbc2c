using System.Diagnostics;
using InMemoryDb.Grains.Events;
using InMemoryDb.Grains.Persistence;

namespace InMemoryDb.Grains.Tables;

/// <summary>
/// One in-memory partition of a table's records, the index every whole-table query reads. Record grains apply
/// each acknowledged change here before they answer, so counts and dumps are exact. On activation the partition
/// reloads its records straight from grain storage (the source of truth), so a restart loses no index entry.
/// </summary>
[KeepAlive]
public sealed partial class TablePartitionGrain(
    IGrainStateScanner scanner,
    ILogger<TablePartitionGrain> logger) : Grain, ITablePartitionGrain
{
    private const int MaxCachedJoinFields = 8;
    private readonly Dictionary<string, RecordSnapshot> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, JoinKeys.Lookup>> _joinKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Field, bool IdWhenMissing), JoinSide> _joinSides = [];
    private readonly HashSet<string> _recoveredAfter = new(StringComparer.Ordinal);
    private RecordSnapshot[]? _sorted;
    private string _table = "";
    private int _partition;
    private bool _registered;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.LastIndexOf('/');
        _table = key[..slash];
        _partition = int.Parse(key.AsSpan(slash + 1), System.Globalization.CultureInfo.InvariantCulture);

        var watch = Stopwatch.StartNew();
        var prefix = _table.Length + 1;
        await foreach (var (stored, record) in scanner.ScanAsync<RecordState>(RecordGrain.StateName, _table, _partition, cancellationToken))
        {
            var id = stored[prefix..];
            _versions[id] = record.Version;
            if (record.Exists && record.Data is { } data)
            {
                _records[id] = new RecordSnapshot(_table, id, data.GetRawText(), record.CreatedAt, record.UpdatedAt, record.Version);
            }
        }
        if (_records.Count > 0)
        {
            await GrainFactory.GetGrain<ITableCatalogGrain>(ITableCatalogGrain.Key).RegisterAsync(_table);
            _registered = true;
        }
        LogRebuilt(logger, key, _records.Count, watch.ElapsedMilliseconds);
    }

    /// <inheritdoc />
    public async Task ApplyAsync(string id, long version, RecordSnapshot? record)
    {
        if (_versions.TryGetValue(id, out var known) && known >= version) return;
        if (record is not null && !_registered)
        {
            await GrainFactory.GetGrain<ITableCatalogGrain>(ITableCatalogGrain.Key).RegisterAsync(_table);
            _registered = true;
        }

        _versions[id] = version;
        if (record is null)
        {
            _records.Remove(id);
        }
        else
        {
            _records[id] = record;
        }
        _sorted = null;
        _joinSides.Clear();
        foreach (var (field, keys) in _joinKeys)
        {
            if (record is null) keys.Remove(id);
            else keys[id] = JoinKeys.Find(record.DataJson, field);
        }
    }

    /// <inheritdoc />
    public Task<int> CountAsync() => Task.FromResult(_records.Count);

    /// <inheritdoc />
    public Task<PartitionPage> PageAsync(string? after, int? limit, long maxBytes)
    {
        var sorted = Sorted();
        var start = Start(sorted, after);
        var count = Listing.CountWithin(sorted.AsSpan(start, Math.Min(limit ?? int.MaxValue, sorted.Length - start)), ResponseLimits.Of, maxBytes);
        return Task.FromResult(new PartitionPage(sorted.AsSpan(start, count).ToArray(), start + count < sorted.Length));
    }

    /// <inheritdoc />
    public Task<ResultSize> SizeAsync(string? after)
    {
        var sorted = Sorted();
        long bytes = 0;
        var start = Start(sorted, after);
        for (var i = start; i < sorted.Length; i++) bytes += ResponseLimits.Of(sorted[i]);
        return Task.FromResult(new ResultSize(sorted.Length - start, bytes));
    }

    /// <summary>The index of the first record whose id is greater than <paramref name="after"/>.</summary>
    private static int Start(RecordSnapshot[] sorted, string? after)
        => after is null ? 0 : Listing.FirstAfter(sorted, r => string.CompareOrdinal(r.Id, after));

    /// <inheritdoc />
    public Task<JoinSide> JoinSideAsync(string field, bool idWhenMissing)
    {
        if (_joinSides.TryGetValue((field, idWhenMissing), out var cached)) return Task.FromResult(cached);
        if (!_joinKeys.TryGetValue(field, out var keys))
        {
            if (_joinKeys.Count >= MaxCachedJoinFields) _joinKeys.Clear();
            keys = new Dictionary<string, JoinKeys.Lookup>(_records.Count, StringComparer.Ordinal);
            foreach (var (id, record) in _records)
            {
                keys[id] = JoinKeys.Find(record.DataJson, field);
            }
            _joinKeys[field] = keys;
        }

        var result = new List<KeyedRecord>(_records.Count);
        var withField = 0;
        foreach (var record in Sorted())
        {
            var id = record.Id;
            var lookup = keys[id];
            if (lookup.Present)
            {
                withField++;
                if (lookup.Key is not null) result.Add(new KeyedRecord(lookup.Key, record));
            }
            else if (idWhenMissing)
            {
                result.Add(new KeyedRecord(JoinKeys.ForId(id), record));
            }
        }
        if (_joinSides.Count >= MaxCachedJoinFields) _joinSides.Clear();
        var side = _joinSides[(field, idWhenMissing)] = new JoinSide(result, withField);
        return Task.FromResult(side);
    }

    private RecordSnapshot[] Sorted() => _sorted ??= _records.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToArray();

    /// <inheritdoc />
    public async Task ReconcileAsync(string deadSilo)
    {
        if (!_recoveredAfter.Add(deadSilo)) return;
        var prefix = _table.Length + 1;
        await foreach (var (stored, record) in scanner.ScanAsync<RecordState>(RecordGrain.StateName, _table, _partition))
        {
            var id = stored[prefix..];
            if (!_versions.TryGetValue(id, out var known) || known < record.Version)
            {
                var snapshot = record.Exists && record.Data is { } data
                    ? new RecordSnapshot(_table, id, data.GetRawText(), record.CreatedAt, record.UpdatedAt, record.Version)
                    : null;
                await ApplyAsync(id, record.Version, snapshot);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Partition {Partition} loaded {Count} records from storage in {Elapsed} ms")]
    private static partial void LogRebuilt(ILogger logger, string partition, int count, long elapsed);
}
