using System.Text.Json;
using InMemoryDb.Grains.Persistence;
using Orleans.Storage;

namespace InMemoryDb.Grains.KeyValue;

/// <summary>
/// The key-value store's write path, run by each index partition for its keys (<see cref="KeyValueIndexGrain.WriteAsync"/>):
/// no grain per key is activated to write. A write is decided by <see cref="LastWriterWins"/> against the key's slot,
/// committed with its event in one statement (the key's row, keyed by its grain id as before, so storage and events
/// are unchanged), and then held in the slot before it is answered. Writes of one key run one after the other; writes
/// of different keys run concurrently and share transactions (group commit). The entity kernel's rules hold: a write
/// past its deadline or refused by the fence did not happen; a write whose answer was lost is decided by reading the
/// row back (its write id); a version conflict (the row changed behind the slot) re-reads the row and decides again.
/// </summary>
public sealed class KeyValueWrites(IGrainStorage storage, Func<string, KeyValueHeldState?> heldOf, Action<string, long, KeyValueChange> hold, Action<string> forget)
{
    /// <summary>The grain type of key grains: their rows and events are named by it.</summary>
    public const string GrainType = "keyvalue";

    private static readonly JsonSerializerOptions ContentOptions = new(JsonSerializerDefaults.General)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly Dictionary<string, Task> _tails = new(StringComparer.Ordinal);

    /// <summary>Applies a put (<paramref name="value"/> set) or a delete (null) of <paramref name="key"/>, after the writes of it before.</summary>
    public async Task<Outcome<KeyValueWriteResult>> WriteAsync(string key, string? value, DateTimeOffset? given)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var before = _tails.GetValueOrDefault(key);
        _tails[key] = done.Task;
        try
        {
            if (before is not null) await before;
            return await WriteNowAsync(key, value, given);
        }
        finally
        {
            if (_tails.TryGetValue(key, out var tail) && tail == done.Task) _tails.Remove(key);
            done.SetResult();
        }
    }

    private async Task<Outcome<KeyValueWriteResult>> WriteNowAsync(string key, string? value, DateTimeOffset? given)
    {
        var grainId = GrainId.Create(GrainType, KeyValueKeys.GrainKey(key));
        var stored = new StoredState<KeyValueState>(storage, KeyValueGrain.StateName, grainId);
        if (heldOf(key) is { } held)
        {
            if (held.Version == 0) stored.AssumeNew();
            else stored.AssumeStored(FromHeld(key, held), held.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
        for (var attempt = 1; ; attempt++)
        {
            await stored.LoadAsync();
            var current = stored.RecordExists ? stored.State : new KeyValueState { Key = key };
            if (stored.RecordExists) hold(key, current.Version, ChangeOf(current));
            try
            {
                return await DecideAndCommitAsync(key, value, given, stored, current);
            }
            catch (InconsistentStateException) when (attempt == 1)
            {
                // The row is not the version the slot held (written behind it): read it and decide again.
                stored.Forget();
            }
        }
    }

    private async Task<Outcome<KeyValueWriteResult>> DecideAndCommitAsync(string key, string? value, DateTimeOffset? given, StoredState<KeyValueState> stored, KeyValueState current)
    {
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

        // Nobody waits for the answer any more: the change is not made (a late write must not land).
        Deadline.ThrowIfPassed("the write", beforeCall: false);
        var content = value is null
            ? JsonSerializer.Serialize(new DeletedContent(key, KeyValueTimestamps.Format(timestamp)), ContentOptions)
            : JsonSerializer.Serialize(new PutContent(key, value, KeyValueTimestamps.Format(timestamp)), ContentOptions);
        var method = value is null ? EventMethods.DeleteKey : EventMethods.PutKey;
        var next = new KeyValueState
        {
            Key = key,
            Exists = value is not null,
            Value = value,
            Timestamp = timestamp,
            Version = current.Version + 1,
            WriteId = Guid.NewGuid(),
        };
        next.Events = [new EventEnvelope(Guid.NewGuid(), method, KeyValueKeys.Scope, key, content, DateTimeOffset.UtcNow,
            Correlation.Current ?? Guid.NewGuid().ToString("N"), $"{GrainType}/{KeyValueKeys.GrainKey(key)}")];
        stored.State = next;
        try
        {
            await stored.WriteAsync();
        }
        catch (Exception e) when (e is not InconsistentStateException and not NotPerformedException)
        {
            // The answer was lost: the row says whether the write happened.
            try
            {
                await stored.ReloadAsync();
            }
            catch
            {
                // Unknown: the key is read from storage before it is next read or written, and read back here until
                // storage answers, so listings get it too.
                forget(key);
                _ = ReadBackAsync(stored, key);
                throw;
            }
            if (stored.State.WriteId != next.WriteId)
            {
                if (stored.RecordExists) hold(key, stored.State.Version, ChangeOf(stored.State));
                throw;
            }
        }
        finally
        {
            next.Events = [];
        }
        hold(key, next.Version, ChangeOf(next));
        return Outcome<KeyValueWriteResult>.Ok(new KeyValueWriteResult(applied, timestamp));
    }

    /// <summary>Reads the row of a write of unknown fate every <see cref="ReadBackPeriod"/> until it can, then holds what is stored.</summary>
    private async Task ReadBackAsync(StoredState<KeyValueState> stored, string key)
    {
        while (true)
        {
            await Task.Delay(ReadBackPeriod);
            try
            {
                await stored.ReloadAsync();
            }
            catch
            {
                continue;
            }
            hold(key, stored.RecordExists ? stored.State.Version : 0, stored.RecordExists ? ChangeOf(stored.State) : new KeyValueChange(null, 0));
            return;
        }
    }

    /// <summary>How often the row of a write of unknown fate is read until storage answers.</summary>
    private static readonly TimeSpan ReadBackPeriod = TimeSpan.FromSeconds(2);

    private static KeyValueState FromHeld(string key, KeyValueHeldState held) => new()
    {
        Key = key,
        Exists = held.Value is not null,
        Value = held.Value,
        Timestamp = new DateTimeOffset(held.TimestampTicks, TimeSpan.Zero),
        Version = held.Version,
    };

    private static KeyValueChange ChangeOf(KeyValueState state) => new(state.Exists ? state.Value : null, state.Timestamp.UtcTicks);

    /// <summary>Now, or just after the current operation when the clock has not passed it (monotonic per key).</summary>
    private static DateTimeOffset Assign(KeyValueState current, bool hasOperation)
    {
        var now = DateTimeOffset.UtcNow;
        return hasOperation && now.UtcTicks <= current.Timestamp.UtcTicks ? current.Timestamp.AddTicks(1) : now;
    }

    private sealed record PutContent(string Key, string Value, string Timestamp);

    private sealed record DeletedContent(string Key, string Timestamp);
}
