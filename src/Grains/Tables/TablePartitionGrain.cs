using InMemoryDb.Grains.Persistence;

namespace InMemoryDb.Grains.Tables;

/// <summary>
/// One in-memory partition of a table's records, keyed <c>{table}/{partition}</c>: the index every whole-table query
/// reads, and the place a record's reads are served from (<see cref="GetAsync"/>). Record grains apply each acknowledged change here before they answer, so counts and dumps are exact. Rebuild
/// on activation, versions and reconciling after a silo died: <see cref="ProjectionPartitionGrain{TState, TItem}"/>.
/// The table is registered in the catalog when the partition first holds a record.
/// </summary>
[KeepAlive]
public sealed class TablePartitionGrain(IGrainStateScanner scanner, ILogger<TablePartitionGrain> logger)
    : ProjectionPartitionGrain<RecordState, RecordSnapshot>(scanner, logger), ITablePartitionGrain
{
    private const int MaxCachedJoinFields = 8;
    private readonly Dictionary<string, RecordSnapshot> _records = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, JoinKeys.Lookup>> _joinKeys = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Field, bool IdWhenMissing), JoinSide> _joinSides = [];
    private RecordSnapshot[]? _sorted;

    /// <inheritdoc />
    protected override string StateName => RecordGrain.StateName;

    /// <inheritdoc />
    protected override int Count => _records.Count;

    /// <inheritdoc />
    /// <remarks>Single records are served while it loads (those not loaded yet through their grains); its listings wait.</remarks>
    protected override bool RebuildsInBackground => true;

    /// <inheritdoc />
    protected override Stored? FromStored(string grainKey, RecordState state)
    {
        var id = IdOf(grainKey);
        return new Stored(id, state.Version, state.Exists && state.Data is { } data
            ? new RecordSnapshot(Scope, id, data.GetRawText(), state.CreatedAt, state.UpdatedAt, state.Version)
            : null);
    }

    /// <inheritdoc />
    protected override Task OnFirstHeldAsync() => GrainFactory.GetGrain<ITableCatalogGrain>(ITableCatalogGrain.Key).RegisterAsync(Scope);

    /// <inheritdoc />
    protected override void Set(string id, RecordSnapshot? record)
    {
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
    public Task<RecordLookup> GetAsync(string id)
        => Task.FromResult(_records.TryGetValue(id, out var record)
            ? new RecordLookup(true, record)
            : new RecordLookup(!IsRebuilding || VersionOf(id) > 0, null));

    /// <inheritdoc />
    public async Task<PartitionPage> PageAsync(string? after, int? limit, long maxBytes)
    {
        await WaitUntilLoadedAsync();
        var sorted = Sorted();
        var start = Start(sorted, after);
        var count = Listing.CountWithin(sorted.AsSpan(start, Math.Min(limit ?? int.MaxValue, sorted.Length - start)), ResponseLimits.Of, maxBytes);
        return new PartitionPage(sorted.AsSpan(start, count).ToArray(), start + count < sorted.Length);
    }

    /// <inheritdoc />
    public async Task<ResultSize> SizeAsync(string? after)
    {
        await WaitUntilLoadedAsync();
        var sorted = Sorted();
        long bytes = 0;
        var start = Start(sorted, after);
        for (var i = start; i < sorted.Length; i++) bytes += ResponseLimits.Of(sorted[i]);
        return new ResultSize(sorted.Length - start, bytes);
    }

    /// <summary>The index of the first record whose id is greater than <paramref name="after"/>.</summary>
    private static int Start(RecordSnapshot[] sorted, string? after)
        => after is null ? 0 : Listing.FirstAfter(sorted, r => string.CompareOrdinal(r.Id, after));

    /// <inheritdoc />
    public async Task<JoinSide> JoinSideAsync(string field, bool idWhenMissing)
    {
        await WaitUntilLoadedAsync();
        if (_joinSides.TryGetValue((field, idWhenMissing), out var cached)) return cached;
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
        return side;
    }

    private RecordSnapshot[] Sorted() => _sorted ??= _records.Values.OrderBy(r => r.Id, StringComparer.Ordinal).ToArray();
}
