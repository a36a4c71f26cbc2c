using System.Diagnostics.CodeAnalysis;
using Orleans.Storage;

namespace InMemoryDb.Grains.Persistence;

/// <summary>
/// A grain's persisted state read and written through a named Orleans grain storage provider (the ADO.NET
/// provider on PostgreSQL, or memory), like <c>[PersistentState]</c> but loaded on demand: a grain created
/// under an id it just generated knows nothing is stored yet and skips the read. A first write then inserts
/// (no version), and the provider refuses it if a row exists after all.
/// </summary>
public sealed class StoredState<T>(IGrainStorage storage, string stateName, GrainId grainId) : IGrainState<T>
    where T : new()
{
    private Task? _loading;

    /// <inheritdoc />
    [AllowNull]
    public T State { get; set; } = new();

    /// <inheritdoc />
    public string? ETag { get; set; }

    /// <inheritdoc />
    public bool RecordExists { get; set; }

    /// <summary>True once the state was read (or is known to be new).</summary>
    public bool IsLoaded => _loading is { IsCompletedSuccessfully: true };

    /// <summary>Reads the state once; concurrent (interleaved) callers share the read.</summary>
    public Task LoadAsync()
    {
        if (_loading is { IsFaulted: true } or { IsCanceled: true }) _loading = null;
        if (_loading is null)
        {
            var reading = storage.ReadStateAsync(stateName, grainId, this);
            _loading = reading.IsCompletedSuccessfully ? Task.CompletedTask : reading;
            if (!reading.IsCompleted) _ = ForgetReadWhenDone(reading);
        }
        return _loading;
    }

    /// <summary>
    /// Once the read completed, keeps <see cref="Task.CompletedTask"/> instead of it: a completed read's task (its
    /// async state machine, about 180 bytes) would otherwise stay with the activation for its lifetime.
    /// </summary>
    private async Task ForgetReadWhenDone(Task reading)
    {
        try
        {
            await reading;
        }
        catch
        {
            // The caller sees the failure; a failed read is retried by the next LoadAsync.
            return;
        }
        if (ReferenceEquals(_loading, reading)) _loading = Task.CompletedTask;
    }

    /// <summary>
    /// Marks the state as new without reading it: the caller knows nothing can be stored under this key.
    /// Does nothing once a read has started.
    /// </summary>
    public void AssumeNew()
    {
        if (_loading is not null) return;
        State = new T();
        ETag = null;
        RecordExists = false;
        _loading = Task.CompletedTask;
    }

    /// <summary>
    /// Takes <paramref name="state"/> as the stored one, with its storage version <paramref name="etag"/>, without
    /// reading it: the caller holds an up-to-date copy (an index partition). Were the copy behind storage, the next write
    /// is refused by version (<see cref="InconsistentStateException"/>) and the state read again. Does nothing once a read has started.
    /// </summary>
    public void AssumeStored(T state, string etag)
    {
        if (_loading is not null) return;
        State = state;
        ETag = etag;
        RecordExists = true;
        _loading = Task.CompletedTask;
    }

    /// <summary>Forgets the state, so the next <see cref="LoadAsync"/> reads it again.</summary>
    public void Forget() => _loading = null;

    /// <summary>Reads the state again; until that read works the state stays forgotten, so any caller reads it too.</summary>
    public Task ReloadAsync()
    {
        Forget();
        return LoadAsync();
    }

    /// <summary>Writes the state (optimistically, by version).</summary>
    public Task WriteAsync() => storage.WriteStateAsync(stateName, grainId, this);
}
