using System.Text.Json;
using InMemoryDb.Grains.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace InMemoryDb.Grains.KeyValue;

/// <summary>
/// The writer of one key of the key-value store, keyed <see cref="KeyValueKeys.GrainKey"/>(key). A write that wins by
/// <see cref="LastWriterWins"/> is committed with its event through the entity kernel (<see cref="EntityGrain{TState}"/>)
/// and applied to the store's index partition, which serves the key's reads, before it is answered.
/// A delete keeps a tombstone (timestamp and version), so older operations arriving late are ignored.
/// The grain is transient: it takes the key's state from its partition instead of reading storage (a new key needs no
/// read at all); it leaves at once after a key's first write and otherwise after a minute idle
/// (<c>InMemoryDb:Memory:CollectionAge:kv</c>), so a loaded key's resident form is its partition entry alone (docs/decisions/resident-memory.md).
/// </summary>
public sealed class KeyValueGrain(
    [FromKeyedServices(ProviderNames.Storage)] IGrainStorage storage,
    StorageInfo storageInfo,
    KeyValueReader reader,
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

    private IKeyValueIndexGrain Index => _index ??= GrainFactory.GetGrain<IKeyValueIndexGrain>(KeyValueIndexGrain.PartitionOf(this.GetPrimaryKeyString()));

    /// <inheritdoc />
    public async Task<KeyValueRead?> GetAsync()
    {
        // Reads go to the partition; this one came here because the partition has not loaded the key yet (after a start).
        var loaded = !IsLoaded && storageInfo.IsDurable;
        await LoadAsync();
        var current = State;
        return current.Exists && current.Value is { } value
            ? new KeyValueRead(new KeyValueEntry(current.Key, value), current.Timestamp, loaded)
            : null;
    }

    /// <inheritdoc />
    public Task<Outcome<KeyValueWriteResult>> PutAsync(string key, string value, DateTimeOffset? timestamp)
    {
        if (CheckKey(key) is { } problem) return Task.FromResult(problem);
        if (KeyValueKeys.CheckValue(value) is { } valueProblem) return Task.FromResult(Outcome<KeyValueWriteResult>.Invalid("value", valueProblem));
        if (CheckTimestamp(timestamp) is { } timestampProblem) return Task.FromResult(timestampProblem);
        return ApplyAsync(key, value, timestamp);
    }

    /// <inheritdoc />
    public Task<Outcome<KeyValueWriteResult>> DeleteAsync(string key, DateTimeOffset? timestamp)
    {
        if (CheckKey(key) is { } problem) return Task.FromResult(problem);
        if (CheckTimestamp(timestamp) is { } timestampProblem) return Task.FromResult(timestampProblem);
        return ApplyAsync(key, null, timestamp);
    }

    /// <inheritdoc />
    protected override bool ProjectionServesReads => true;

    /// <inheritdoc />
    protected override Task ProjectAsync()
    {
        var current = State;
        return Index.ApplyAsync(current.Key, current.Version, new KeyValueChange(current.Exists ? current.Value : null, current.Timestamp.UtcTicks));
    }

    /// <summary>Applies a put (<paramref name="value"/> set) or a delete (null) if it wins against the current state.</summary>
    private async Task<Outcome<KeyValueWriteResult>> ApplyAsync(string key, string? value, DateTimeOffset? given)
    {
        await LoadForWriteAsync(key);
        return await ApplyLoadedAsync(key, value, given);
    }

    /// <summary>Takes the key's state from its partition when it holds it (or knows the key is new), from storage otherwise.</summary>
    private async Task LoadForWriteAsync(string key)
    {
        if (IsLoaded) return;
        if (await reader.HeldAsync(key, this.GetPrimaryKeyString()) is { } held)
        {
            if (held.Version == 0)
            {
                AssumeNew();
                return;
            }
            AssumeStored(new KeyValueState
            {
                Key = key,
                Exists = held.Value is not null,
                Value = held.Value,
                Timestamp = new DateTimeOffset(held.TimestampTicks, TimeSpan.Zero),
                Version = held.Version,
            }, held.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
            return;
        }
        await LoadAsync();
    }

    private async Task<Outcome<KeyValueWriteResult>> ApplyLoadedAsync(string key, string? value, DateTimeOffset? given)
    {
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
        // A key's first write (a bulk load) leaves its writer right away; a key written again keeps its writer for the
        // collection age, so updates do not pay an activation each. Calls queued meanwhile move to the next activation once.
        if (current.Version == 0) DeactivateOnIdle();
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

    private sealed record PutContent(string Key, string Value, string Timestamp);

    private sealed record DeletedContent(string Key, string Timestamp);
}
