using InMemoryDb.Grains.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace InMemoryDb.Grains.KeyValue;

/// <summary>
/// One key of the key-value store, keyed <see cref="KeyValueKeys.GrainKey"/>(key), for callers that address a key's
/// grain (other .NET services). Its writes are made by the key's index partition (<see cref="KeyValueWrites"/>), which
/// holds the key and serves its reads; this grain forwards them, and reads the key from storage only while the
/// partition has not loaded it yet (just after a start). It keeps nothing: it leaves as soon as it is idle.
/// </summary>
[GrainType(KeyValueWrites.GrainType)]
public sealed class KeyValueGrain(
    [FromKeyedServices(ProviderNames.Storage)] IGrainStorage storage,
    StorageInfo storageInfo) : Grain, IKeyValueGrain
{
    /// <summary>The storage name of key states (unique among grain classes).</summary>
    public const string StateName = "kv";

    /// <inheritdoc />
    public async Task<KeyValueRead?> GetAsync()
    {
        DeactivateOnIdle();
        var grainKey = this.GetPrimaryKeyString();
        if (KeyOf(grainKey) is { } key
            && await GrainFactory.GetGrain<IKeyValueIndexGrain>(KeyValueIndexGrain.PartitionOf(grainKey)).GetAsync(key) is { } held)
        {
            return held.Value is { } value ? new KeyValueRead(new KeyValueEntry(key, value), new DateTimeOffset(held.TimestampTicks, TimeSpan.Zero), false) : null;
        }
        // Not loaded by the partition yet (just after a start), or a key too long to name in a grain key: read the row.
        var stored = new StoredState<KeyValueState>(storage, StateName, this.GetGrainId());
        await stored.LoadAsync();
        var current = stored.State;
        return stored.RecordExists && current.Exists && current.Value is { } storedValue
            ? new KeyValueRead(new KeyValueEntry(current.Key, storedValue), current.Timestamp, storageInfo.IsDurable)
            : null;
    }

    /// <inheritdoc />
    public Task<Outcome<KeyValueWriteResult>> PutAsync(string key, string value, DateTimeOffset? timestamp)
        => CheckKey(key) ?? Index(key).WriteAsync(key, value, timestamp);

    /// <inheritdoc />
    public Task<Outcome<KeyValueWriteResult>> DeleteAsync(string key, DateTimeOffset? timestamp)
        => CheckKey(key) ?? Index(key).WriteAsync(key, null, timestamp);

    private IKeyValueIndexGrain Index(string key)
    {
        DeactivateOnIdle();
        return GrainFactory.GetGrain<IKeyValueIndexGrain>(KeyValueIndexGrain.PartitionOf(KeyValueKeys.GrainKey(key)));
    }

    private Task<Outcome<KeyValueWriteResult>>? CheckKey(string key)
    {
        if (KeyValueKeys.CheckKey(key) is { } problem) return Task.FromResult(Outcome<KeyValueWriteResult>.Invalid("key", problem));
        return KeyValueKeys.GrainKey(key) == this.GetPrimaryKeyString()
            ? null
            : Task.FromResult(Outcome<KeyValueWriteResult>.BadRequest($"This grain holds another key; call the grain {KeyValueKeys.GrainKey(key)}."));
    }

    /// <summary>The key a grain key names (<see cref="KeyValueKeys.GrainKey"/> reversed), or null for a hashed one.</summary>
    private static string? KeyOf(string grainKey)
    {
        var id = grainKey[(grainKey.IndexOf('/') + 1)..];
        return id.StartsWith('#') ? null : Uri.UnescapeDataString(id);
    }
}
