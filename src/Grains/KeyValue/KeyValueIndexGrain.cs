using InMemoryDb.Grains.Persistence;

namespace InMemoryDb.Grains.KeyValue;

/// <summary>
/// One in-memory partition of the key-value store (keyed by its number), the index every listing reads, with its live
/// keys sorted once per change for paging. Key grains apply each acknowledged change here before they answer, so
/// listings are exact. Rebuild on activation, versions (operation numbers) and reconciling after a silo died:
/// <see cref="ProjectionPartitionGrain{TState, TItem}"/>.
/// </summary>
[KeepAlive]
public sealed class KeyValueIndexGrain(IGrainStateScanner scanner, ILogger<KeyValueIndexGrain> logger)
    : ProjectionPartitionGrain<KeyValueState, string>(scanner, logger), IKeyValueIndexGrain
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private KeyValueEntry[]? _sorted;

    /// <summary>The partition of the key grain <paramref name="grainKey"/> (<c>kv/{id}</c>): <see cref="Partitioning.Of"/>(id), as the database computes it.</summary>
    public static int PartitionOf(string grainKey) => Partitioning.Of(grainKey[(grainKey.IndexOf('/') + 1)..]);

    /// <inheritdoc />
    protected override string Scope => KeyValueKeys.Scope;

    /// <inheritdoc />
    protected override string StateName => KeyValueGrain.StateName;

    /// <inheritdoc />
    protected override int Count => _values.Count;

    /// <inheritdoc />
    protected override Stored? FromStored(string grainKey, KeyValueState state)
        => state.Key.Length == 0 ? null : new Stored(state.Key, state.Version, state.Exists ? state.Value : null);

    /// <inheritdoc />
    protected override void Set(string key, string? value)
    {
        if (value is null)
        {
            if (_values.Remove(key)) _sorted = null;
        }
        else
        {
            _values[key] = value;
            _sorted = null;
        }
    }

    /// <inheritdoc />
    public Task<KeyValueIndexPage> PageAsync(string? after, int? limit, long maxBytes)
    {
        var sorted = _sorted ??= _values.Select(p => new KeyValueEntry(p.Key, p.Value)).OrderBy(e => e.Key, StringComparer.Ordinal).ToArray();
        var start = after is null ? 0 : Listing.FirstAfter(sorted, e => string.CompareOrdinal(e.Key, after));
        var count = Listing.CountWithin(sorted.AsSpan(start, Math.Min(limit ?? int.MaxValue, sorted.Length - start)), KeyValueStoreGrain.Size, maxBytes);
        return Task.FromResult(new KeyValueIndexPage(sorted.AsSpan(start, count).ToArray(), start + count < sorted.Length));
    }
}
