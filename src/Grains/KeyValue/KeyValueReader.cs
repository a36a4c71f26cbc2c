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
        var partition = KeyValueIndexGrain.PartitionOf(grainKey);
        var held = _local?.Get(partition) is { } slots && _lease is { IsHeld: true }
            ? slots.StateOf(key)
            : await grains.GetGrain<IKeyValueIndexGrain>(partition).GetAsync(key);
        if (held is { } state) return state.Value is { } value ? (value, false) : null;
        return await grains.GetGrain<IKeyValueGrain>(grainKey).GetAsync() is { } read ? (read.Entry.Value, read.LoadedFromStorage) : null;
    }
}
