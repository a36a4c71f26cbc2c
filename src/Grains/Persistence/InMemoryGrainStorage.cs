using System.Globalization;
using System.Runtime.CompilerServices;
using InMemoryDb.Grains.Events;
using Orleans.Storage;

namespace InMemoryDb.Grains.Persistence;

/// <summary>
/// Grain storage for the embedded default: states live in this process only, serialized exactly as they
/// would be in PostgreSQL and checked by version like the ADO.NET provider does, and they can be scanned
/// (<see cref="IGrainStateScanner"/>) so index partitions rebuild the same way in both modes.
/// A state's events (<see cref="EntityState.Events"/>) are appended to the embedded event log under the same lock as
/// the state is stored, so both happen or neither, as in PostgreSQL.
/// Single-silo only: a second silo would not see these states.
/// </summary>
public sealed class InMemoryGrainStorage(InMemoryEventLogStore eventLog) : IGrainStorage, IGrainStateScanner
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string StateName, string Key), (byte[] Payload, int Version)> _rows = [];
    private readonly JsonGrainStateSerializer _serializer = new();

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        (byte[] Payload, int Version) row;
        bool found;
        lock (_gate)
        {
            found = _rows.TryGetValue((stateName, KeyOf(grainId)), out row);
        }

        if (found)
        {
            grainState.State = JsonGrainStateSerializer.Deserialize<T>(row.Payload);
            grainState.ETag = row.Version.ToString(CultureInfo.InvariantCulture);
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var payload = _serializer.Serialize(grainState.State).ToArray();
        var key = (stateName, KeyOf(grainId));
        int version;
        lock (_gate)
        {
            var exists = _rows.TryGetValue(key, out var row);
            var current = exists ? row.Version.ToString(CultureInfo.InvariantCulture) : null;
            if (current != grainState.ETag)
            {
                throw new InconsistentStateException($"Version conflict writing {stateName} of {grainId}: stored {current ?? "none"}, grain has {grainState.ETag ?? "none"}.");
            }
            version = exists ? row.Version + 1 : 1;
            _rows[key] = (payload, version);
            if (grainState.State is EntityState { Events.Length: > 0 } entity) eventLog.Append(entity.Events);
        }
        grainState.ETag = version.ToString(CultureInfo.InvariantCulture);
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        lock (_gate)
        {
            _rows.Remove((stateName, KeyOf(grainId)));
        }
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ScannedState<T>> ScanAsync<T>(string stateName, string scope, int partition, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prefix = scope + "/";
        List<(string Key, byte[] Payload)> matches = [];
        lock (_gate)
        {
            foreach (var ((name, key), row) in _rows)
            {
                if (name == stateName && key.StartsWith(prefix, StringComparison.Ordinal) && Partitioning.Of(key[prefix.Length..]) == partition)
                {
                    matches.Add((key, row.Payload));
                }
            }
        }

        foreach (var (key, payload) in matches)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ScannedState<T>(key, JsonGrainStateSerializer.Deserialize<T>(payload));
        }
        await Task.CompletedTask;
    }

    private static string KeyOf(GrainId grainId) => grainId.Key.ToString()!;
}
