using System.Diagnostics;
using InMemoryDb.Grains.Events;
using InMemoryDb.Grains.Persistence;

namespace InMemoryDb.Grains.KeyValue;

/// <summary>
/// One in-memory partition of the key-value store, the index every listing reads. Key grains apply each
/// acknowledged change here before they answer, so listings are exact. On activation (first use, after a restart,
/// or on another silo after its silo died) it reloads its keys straight from grain storage, the source of truth,
/// and so does it after a silo died (<see cref="ReconcileAsync"/>): a key grain there may have committed and died before it applied here.
/// </summary>
[KeepAlive]
public sealed partial class KeyValueIndexGrain(
    IGrainStateScanner scanner,
    ILogger<KeyValueIndexGrain> logger) : Grain, IKeyValueIndexGrain
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _recoveredAfter = new(StringComparer.Ordinal);
    private KeyValueEntry[]? _sorted;

    /// <summary>The partition of the key grain <paramref name="grainKey"/> (<c>kv/{id}</c>): <see cref="Partitioning.Of"/>(id), as the database computes it.</summary>
    public static int PartitionOf(string grainKey) => Partitioning.Of(grainKey[(grainKey.IndexOf('/') + 1)..]);

    private int Partition => (int)this.GetPrimaryKeyLong();

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        await foreach (var (_, stored) in scanner.ScanAsync<KeyValueState>(KeyValueGrain.StateName, KeyValueKeys.Scope, Partition, cancellationToken))
        {
            if (stored.Key.Length == 0) continue;
            _versions[stored.Key] = stored.Version;
            if (stored.Exists && stored.Value is { } value) _values[stored.Key] = value;
        }
        LogRebuilt(logger, Partition, _values.Count, watch.ElapsedMilliseconds);
    }

    /// <inheritdoc />
    public Task ApplyAsync(string key, long version, string? value)
    {
        if (_versions.TryGetValue(key, out var known) && known >= version) return Task.CompletedTask;
        _versions[key] = version;
        if (value is null)
        {
            if (_values.Remove(key)) _sorted = null;
        }
        else
        {
            _values[key] = value;
            _sorted = null;
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<KeyValueIndexPage> PageAsync(string? after, int? limit, long maxBytes)
    {
        var sorted = _sorted ??= _values.Select(p => new KeyValueEntry(p.Key, p.Value)).OrderBy(e => e.Key, StringComparer.Ordinal).ToArray();
        var start = after is null ? 0 : Listing.FirstAfter(sorted, e => string.CompareOrdinal(e.Key, after));
        var count = Listing.CountWithin(sorted.AsSpan(start, Math.Min(limit ?? int.MaxValue, sorted.Length - start)), KeyValueStoreGrain.Size, maxBytes);
        return Task.FromResult(new KeyValueIndexPage(sorted.AsSpan(start, count).ToArray(), start + count < sorted.Length));
    }

    /// <inheritdoc />
    public Task<int> CountAsync() => Task.FromResult(_values.Count);

    /// <inheritdoc />
    public async Task ReconcileAsync(string deadSilo)
    {
        if (!_recoveredAfter.Add(deadSilo)) return;
        await foreach (var (_, stored) in scanner.ScanAsync<KeyValueState>(KeyValueGrain.StateName, KeyValueKeys.Scope, Partition))
        {
            if (stored.Key.Length == 0) continue;
            await ApplyAsync(stored.Key, stored.Version, stored.Exists ? stored.Value : null);
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Key-value partition {Partition} loaded {Count} keys from storage in {Elapsed} ms")]
    private static partial void LogRebuilt(ILogger logger, int partition, int count, long elapsed);
}
