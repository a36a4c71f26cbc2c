using System.Text.Json;
using InMemoryDb.Grains.Events;
using InMemoryDb.Grains.Persistence;
using Orleans.Storage;

namespace InMemoryDb.Grains.KeyValue;

/// <summary>
/// One key of the key-value store, keyed <see cref="KeyValueKeys.GrainKey"/>(key). A write that wins by
/// <see cref="LastWriterWins"/> is made durable in one state write that also carries its event (outbox), applied to
/// the store's index partition, and only then answered; the event is published on the event-log stream right after.
/// A delete keeps a tombstone (timestamp and version), so older operations arriving late are ignored.
/// </summary>
public sealed partial class KeyValueGrain(
    [PersistentState(KeyValueGrain.StateName, ProviderNames.Storage)] IPersistentState<KeyValueState> state,
    StorageInfo storage,
    ILogger<KeyValueGrain> logger) : Grain, IKeyValueGrain, IEventSourceGrain
{
    /// <summary>The storage name of key states (unique among grain classes).</summary>
    public const string StateName = "kv";

    private static readonly JsonSerializerOptions ContentOptions = new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private EventOutbox _outbox = null!;
    private IKeyValueIndexGrain? _index;
    private bool _loadedForNextCall;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _outbox = new EventOutbox(this, () => state.State.Outbox, logger);
        // The state was just read from storage: the first call is served from what storage held.
        _loadedForNextCall = storage.IsDurable;
        return _outbox.PublishPendingAsync();
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
        => _outbox.DropConfirmedAsync(reason, state.RecordExists, () => state.WriteStateAsync(cancellationToken));

    /// <inheritdoc />
    public Task<KeyValueRead?> GetAsync()
    {
        var loaded = TakeLoadedFlag();
        var current = state.State;
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
    public Task ConfirmEventsAsync(Guid[] eventIds)
    {
        // Should this call have activated the grain, a read after it is served from memory.
        TakeLoadedFlag();
        _outbox.Confirm(eventIds);
        return Task.CompletedTask;
    }

    /// <summary>Applies a put (<paramref name="value"/> set) or a delete (null) if it wins against the current state.</summary>
    private async Task<Outcome<KeyValueWriteResult>> ApplyAsync(string key, string? value, DateTimeOffset? given)
    {
        var current = state.State;
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

        var now = DateTimeOffset.UtcNow;
        var content = value is null
            ? JsonSerializer.Serialize(new DeletedContent(key, KeyValueTimestamps.Format(timestamp)), ContentOptions)
            : JsonSerializer.Serialize(new PutContent(key, value, KeyValueTimestamps.Format(timestamp)), ContentOptions);
        var item = _outbox.NewEvent(value is null ? EventMethods.DeleteKey : EventMethods.PutKey, KeyValueKeys.Scope, key, content, now);
        var next = new KeyValueState
        {
            Key = key,
            Exists = value is not null,
            Value = value,
            Timestamp = timestamp,
            Version = current.Version + 1,
            Outbox = [.. current.Outbox, item],
        };

        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch (InconsistentStateException)
        {
            state.State = current;
            DeactivateOnIdle();
            throw;
        }
        catch (Exception e)
        {
            // The write may have been applied: the stored state decides (see WriteReadBack).
            var fate = await WriteReadBack.ResolveAsync(this, state.ReadStateAsync, () => _outbox.Holds(item), FollowThroughAsync, logger, e);
            if (fate == WriteFate.Unknown) state.State = current;
            if (fate != WriteFate.Written) throw;
        }
        _outbox.OnStateWritten();
        // The index and the event log are independent: update one while publishing to the other.
        await Task.WhenAll(ApplyToIndexAsync(state.State), _outbox.PublishAsync([item]));
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

    /// <summary>After a write's fate became known late: what an acknowledged write does, for whatever is stored.</summary>
    private Task FollowThroughAsync()
        => state.State.Version == 0 ? Task.CompletedTask : Task.WhenAll(ApplyToIndexAsync(state.State), _outbox.PublishPendingAsync());

    private async Task ApplyToIndexAsync(KeyValueState next)
    {
        // Resolved once per activation: each GetGrain formats the interface's type name anew.
        var index = _index ??= GrainFactory.GetGrain<IKeyValueIndexGrain>(KeyValueIndexGrain.PartitionOf(this.GetPrimaryKeyString()));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await index.ApplyAsync(next.Key, next.Version, next.Exists ? next.Value : null);
                return;
            }
            catch (Exception e) when (attempt < 3)
            {
                LogIndexRetry(logger, e, next.Key, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt));
            }
            catch (Exception e)
            {
                // The write is durable; the partition reloads it from storage when it is next activated.
                LogIndexFailed(logger, e, next.Key);
                return;
            }
        }
    }

    private sealed record PutContent(string Key, string Value, string Timestamp);

    private sealed record DeletedContent(string Key, string Timestamp);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Applying key {Key} to its index partition failed (attempt {Attempt}); retrying")]
    private static partial void LogIndexRetry(ILogger logger, Exception exception, string key, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not apply key {Key} to its index partition; it reloads from storage on its next activation")]
    private static partial void LogIndexFailed(ILogger logger, Exception exception, string key);
}
