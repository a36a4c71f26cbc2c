using System.Text.Json;
using InMemoryDb.Grains.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace InMemoryDb.Grains.KeyValue;

/// <summary>
/// One key of the key-value store, keyed <see cref="KeyValueKeys.GrainKey"/>(key). A write that wins by
/// <see cref="LastWriterWins"/> is committed with its event through the entity kernel (<see cref="EntityGrain{TState}"/>)
/// and applied to the store's index partition before it is answered.
/// A delete keeps a tombstone (timestamp and version), so older operations arriving late are ignored.
/// </summary>
public sealed class KeyValueGrain(
    [FromKeyedServices(ProviderNames.Storage)] IGrainStorage storage,
    StorageInfo storageInfo,
    ILogger<KeyValueGrain> logger) : EntityGrain<KeyValueState>(storage, StateName, logger), IKeyValueGrain
{
    /// <summary>The storage name of key states (unique among grain classes).</summary>
    public const string StateName = "kv";

    private static readonly JsonSerializerOptions ContentOptions = new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private IKeyValueIndexGrain? _index;
    private bool _loadedForNextCall;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await LoadAsync();
        // The state was just read from storage: the first call is served from what storage held.
        _loadedForNextCall = storageInfo.IsDurable;
    }

    /// <inheritdoc />
    public Task<KeyValueRead?> GetAsync()
    {
        if (!IsLoaded) return ReloadThenGetAsync();
        var loaded = TakeLoadedFlag();
        var current = State;
        return Task.FromResult(current.Exists && current.Value is { } value
            ? new KeyValueRead(new KeyValueEntry(current.Key, value), current.Timestamp, loaded)
            : null);
    }

    /// <inheritdoc />
    public Task<Outcome<KeyValueWriteResult>> PutAsync(string key, string value, DateTimeOffset? timestamp)
    {
        TakeLoadedFlag();
        if (CheckKey(key) is { } problem) return Task.FromResult(problem);
        if (KeyValueKeys.CheckValue(value) is { } valueProblem) return Task.FromResult(Outcome<KeyValueWriteResult>.Invalid("value", valueProblem));
        if (CheckTimestamp(timestamp) is { } timestampProblem) return Task.FromResult(timestampProblem);
        return ApplyAsync(key, value, timestamp);
    }

    /// <inheritdoc />
    public Task<Outcome<KeyValueWriteResult>> DeleteAsync(string key, DateTimeOffset? timestamp)
    {
        TakeLoadedFlag();
        if (CheckKey(key) is { } problem) return Task.FromResult(problem);
        if (CheckTimestamp(timestamp) is { } timestampProblem) return Task.FromResult(timestampProblem);
        return ApplyAsync(key, null, timestamp);
    }

    /// <inheritdoc />
    protected override bool ProjectionServesReads => true;

    /// <inheritdoc />
    protected override Task ProjectAsync()
    {
        // Resolved once per activation: each GetGrain formats the interface's type name anew.
        var index = _index ??= GrainFactory.GetGrain<IKeyValueIndexGrain>(KeyValueIndexGrain.PartitionOf(this.GetPrimaryKeyString()));
        var current = State;
        return index.ApplyAsync(current.Key, current.Version, current.Exists ? current.Value : null);
    }

    /// <summary>After a failed write left the state to be read again: read it, then answer.</summary>
    private async Task<KeyValueRead?> ReloadThenGetAsync()
    {
        await LoadAsync();
        return await GetAsync();
    }

    /// <summary>Applies a put (<paramref name="value"/> set) or a delete (null) if it wins against the current state.</summary>
    private async Task<Outcome<KeyValueWriteResult>> ApplyAsync(string key, string? value, DateTimeOffset? given)
    {
        await LoadAsync();
        var current = State;
        var hasOperation = current.Version > 0;
        var timestamp = given?.ToUniversalTime() ?? Assign(current, hasOperation);
        var applied = value is null ? KeyValueWriteStatus.Deleted : KeyValueWriteStatus.Stored;
        if (hasOperation)
        {
            var order = LastWriterWins.Compare(timestamp, value, current.Timestamp, current.Exists ? current.Value : null);
            // The same operation again (a retry): it is already applied and durable.
            if (order == 0) return Outcome<KeyValueWriteResult>.Ok(new KeyValueWriteResult(applied, timestamp));
            if (order < 0) return new Outcome<KeyValueWriteResult>(OutcomeKind.Ignored, new KeyValueWriteResult(KeyValueWriteStatus.Ignored, timestamp));
        }

        var content = value is null
            ? JsonSerializer.Serialize(new DeletedContent(key, KeyValueTimestamps.Format(timestamp)), ContentOptions)
            : JsonSerializer.Serialize(new PutContent(key, value, KeyValueTimestamps.Format(timestamp)), ContentOptions);
        var item = NewEvent(value is null ? EventMethods.DeleteKey : EventMethods.PutKey, KeyValueKeys.Scope, key, content, DateTimeOffset.UtcNow);
        await CommitAsync(new KeyValueState
        {
            Key = key,
            Exists = value is not null,
            Value = value,
            Timestamp = timestamp,
            Version = current.Version + 1,
        }, item);
        return Outcome<KeyValueWriteResult>.Ok(new KeyValueWriteResult(applied, timestamp));
    }

    /// <summary>Now, or just after the current operation when the clock has not passed it (monotonic per key).</summary>
    private static DateTimeOffset Assign(KeyValueState current, bool hasOperation)
    {
        var now = DateTimeOffset.UtcNow;
        return hasOperation && now.UtcTicks <= current.Timestamp.UtcTicks ? current.Timestamp.AddTicks(1) : now;
    }

    private Outcome<KeyValueWriteResult>? CheckKey(string key)
    {
        if (KeyValueKeys.CheckKey(key) is { } problem) return Outcome<KeyValueWriteResult>.Invalid("key", problem);
        return KeyValueKeys.GrainKey(key) == this.GetPrimaryKeyString()
            ? null
            : Outcome<KeyValueWriteResult>.BadRequest($"This grain holds another key; call the grain {KeyValueKeys.GrainKey(key)}.");
    }

    private static Outcome<KeyValueWriteResult>? CheckTimestamp(DateTimeOffset? timestamp)
        => timestamp is { } given && InputLimits.CheckTimestamp(given) is { } problem ? Outcome<KeyValueWriteResult>.Invalid("timestamp", problem) : null;

    private bool TakeLoadedFlag()
    {
        var loaded = _loadedForNextCall;
        _loadedForNextCall = false;
        return loaded;
    }

    private sealed record PutContent(string Key, string Value, string Timestamp);

    private sealed record DeletedContent(string Key, string Timestamp);
}
