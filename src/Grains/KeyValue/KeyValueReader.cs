using Microsoft.Extensions.DependencyInjection;

namespace InMemoryDb.Grains.KeyValue;

/// <summary>
/// Reads one key where it is resident: its index partition (<see cref="IKeyValueIndexGrain"/>), straight from memory
/// when the partition is active in this process (<see cref="LocalKeyValuePartitions"/>: the embedded node, no grain
/// call) and this silo holds its membership lease, through a grain call otherwise. Only a key the partition has not
/// loaded yet (just after a start) is read through the key's grain, which loads it from storage.
/// </summary>
public sealed class KeyValueReader(IGrainFactory grains, IServiceProvider services)
{
    private readonly LocalKeyValuePartitions? _local = services.GetService<LocalKeyValuePartitions>();
    private readonly Fencing.ISiloLease? _lease = services.GetService<Fencing.ISiloLease>();

    /// <summary>The key's value, or null when it does not exist; <c>FromStorage</c>: this read loaded it from storage.</summary>
    public async ValueTask<(string Value, bool FromStorage)?> GetAsync(string key)
    {
        var grainKey = KeyValueKeys.GrainKey(key);
        if (await HeldAsync(key, grainKey) is { } state) return state.Value is { } value ? (value, false) : null;
        return await grains.GetGrain<IKeyValueGrain>(grainKey).GetAsync() is { } read ? (read.Entry.Value, read.LoadedFromStorage) : null;
    }

    /// <summary>
    /// What the key's partition holds of it (<see cref="KeyValueSlots.StateOf"/>; null: not loaded yet): from this
    /// process's memory when the partition is here and the lease holds, else by one call to the partition. A key grain
    /// that activates to write takes its state from here (a local read saves a grain call per activation).
    /// </summary>
    public ValueTask<KeyValueHeldState?> HeldAsync(string key, string grainKey)
    {
        var partition = KeyValueIndexGrain.PartitionOf(grainKey);
        return _local?.Get(partition) is { } slots && _lease is { IsHeld: true }
            ? ValueTask.FromResult(slots.StateOf(key))
            : new ValueTask<KeyValueHeldState?>(grains.GetGrain<IKeyValueIndexGrain>(partition).GetAsync(key));
    }
}
