using System.Text.Json;
using System.Text.Json.Nodes;
using InMemoryDb.Grains.Events;
using InMemoryDb.Grains.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace InMemoryDb.Grains.Tables;

/// <summary>
/// One record, keyed <c>{table}/{id}</c>. Every change is validated against the table's schema, made durable
/// in one state write that also carries its event (outbox), applied to the table's index partition, and only
/// then acknowledged; the event is published on the event-log stream right after.
/// </summary>
public sealed partial class RecordGrain : Grain, IRecordGrain, IRecordCreator, IEventSourceGrain
{
    /// <summary>The storage name of record states (unique among grain classes).</summary>
    public const string StateName = "record";

    private readonly StoredState<RecordState> state;
    private readonly PasswordHashing passwords;
    private readonly ILogger<RecordGrain> logger;
    private readonly string _table;
    private readonly string _id;
    private readonly EventOutbox _outbox;
    private RecordSnapshot? _snapshot;

    /// <summary>Creates the grain; its state is read from <see cref="ProviderNames.Storage"/> on first use.</summary>
    public RecordGrain([FromKeyedServices(ProviderNames.Storage)] IGrainStorage storage, PasswordHashing passwords, ILogger<RecordGrain> logger)
    {
        state = new StoredState<RecordState>(storage, StateName, this.GetGrainId());
        this.passwords = passwords;
        this.logger = logger;
        (_table, _id) = TableNames.ParseRecordKey(this.GetPrimaryKeyString());
        _outbox = new EventOutbox(this, () => state.State.Outbox, logger);
    }

    /// <inheritdoc />
    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
        => _outbox.DropConfirmedAsync(reason, state.IsLoaded && state.RecordExists, state.WriteAsync);

    /// <inheritdoc />
    public async Task<Outcome<RecordSnapshot>> CreateNewAsync(string dataJson)
    {
        state.AssumeNew();
        try
        {
            return await CreateAsync(dataJson);
        }
        catch (InconsistentStateException)
        {
            // Something is stored under this id (a record, or a deleted one's tombstone): read it and decide as
            // for any other create.
            state.Forget();
            return await CreateAsync(dataJson);
        }
    }

    /// <inheritdoc />
    public async Task<Outcome<RecordSnapshot>> CreateAsync(string dataJson)
    {
        await LoadAsync();
        if (!TableNames.IsValid(_table)) return Outcome<RecordSnapshot>.BadRequest(TableGrain.InvalidTableMessage(_table));
        if (TableNames.CheckId(_id) is { } idProblem) return Outcome<RecordSnapshot>.Invalid("id", idProblem);
        if (state.State.Exists) return Outcome<RecordSnapshot>.Conflict($"A record with id '{_id}' already exists in table '{_table}'.");
        var (data, refused) = ParseObject(dataJson, "data");
        if (data is null) return refused!;
        if (data.TryGetPropertyValue("id", out var idNode) && idNode is not null
            && (idNode.GetValueKind() != JsonValueKind.String || idNode.GetValue<string>() != _id))
        {
            return Outcome<RecordSnapshot>.Invalid("id", $"must be the record id '{_id}'");
        }

        var errors = TableSchemas.Validate(_table, data, passwordRequired: true);
        if (errors.Count > 0) return Outcome<RecordSnapshot>.Invalid(errors);
        if (await CheckReferencesAsync(data, previous: null) is { } referenceProblem) return referenceProblem;

        string? passwordHash = null;
        if (_table == TableNames.Users)
        {
            passwordHash = await passwords.HashAsync(data["password"]!.GetValue<string>());
            if (passwordHash is null) return HashingBusy();
            data.Remove("password");
        }

        var email = EmailOf(data);
        if (email is not null && !await Unique(email).ReserveAsync(_id))
        {
            return Outcome<RecordSnapshot>.Conflict($"A users record with email '{data["email"]}' already exists.");
        }

        var now = DateTimeOffset.UtcNow;
        var next = new RecordState
        {
            Exists = true,
            Data = JsonSerializer.SerializeToElement(data, RecordJson.SerializerOptions),
            PasswordHash = passwordHash,
            CreatedAt = now,
            UpdatedAt = now,
            Version = state.State.Version + 1,
        };
        try
        {
            await CommitAsync(next, EventMethods.CreateRecord, Snapshot(next)!, now);
        }
        catch (Exception e)
        {
            // The reservation is released only when the write surely did not happen. Kept: an insert refused because
            // a row exists (an insert-first create, see CreateNewAsync; the stored record may be its owner), and a
            // write whose fate is unknown. If the record does not hold the email, the lease lapses and it is taken over.
            if (email is not null && e is not InconsistentStateException && HoldsEmail(email) == false) await ReleaseQuietlyAsync(email);
            throw;
        }
        return Outcome<RecordSnapshot>.Created(_snapshot!);
    }

    /// <inheritdoc />
    public async Task<RecordSnapshot?> GetAsync()
    {
        await LoadAsync();
        return _snapshot;
    }

    /// <inheritdoc />
    public async Task<Outcome<RecordSnapshot>> UpdateAsync(string patchJson, long? expectedVersion)
    {
        await LoadAsync();
        var current = state.State;
        if (!current.Exists || current.Data is not { } currentData) return NotFound();
        if (expectedVersion is { } expected && expected != current.Version)
        {
            return Outcome<RecordSnapshot>.PreconditionFailed($"The record is at version {current.Version}, not {expected}.");
        }
        var (patch, refused) = ParseObject(patchJson, "data");
        if (patch is null) return refused!;
        if (patch.TryGetPropertyValue("id", out var idNode)
            && (idNode is null || idNode.GetValueKind() != JsonValueKind.String || idNode.GetValue<string>() != _id))
        {
            return Outcome<RecordSnapshot>.Invalid("id", "the id of a record cannot change");
        }

        var merged = JsonNode.Parse(currentData.GetRawText())!.AsObject();
        foreach (var name in patch.Select(p => p.Key).ToArray())
        {
            var value = patch[name];
            patch.Remove(name);
            if (value is null) merged.Remove(name);
            else merged[name] = value;
        }

        var errors = TableSchemas.Validate(_table, merged, passwordRequired: false);
        if (errors.Count > 0) return Outcome<RecordSnapshot>.Invalid(errors);
        if (await CheckReferencesAsync(merged, previous: currentData) is { } referenceProblem) return referenceProblem;

        var passwordHash = current.PasswordHash;
        if (merged.TryGetPropertyValue("password", out var password) && password is not null)
        {
            passwordHash = await passwords.HashAsync(password.GetValue<string>());
            if (passwordHash is null) return HashingBusy();
            merged.Remove("password");
        }

        var oldEmail = EmailOf(currentData);
        var newEmail = EmailOf(merged);
        var emailChanged = newEmail is not null && newEmail != oldEmail;
        if (emailChanged && !await Unique(newEmail!).ReserveAsync(_id))
        {
            return Outcome<RecordSnapshot>.Conflict($"A users record with email '{merged["email"]}' already exists.");
        }

        var now = DateTimeOffset.UtcNow;
        var next = new RecordState
        {
            Exists = true,
            Data = JsonSerializer.SerializeToElement(merged, RecordJson.SerializerOptions),
            PasswordHash = passwordHash,
            CreatedAt = current.CreatedAt,
            UpdatedAt = now,
            Version = current.Version + 1,
        };
        try
        {
            await CommitAsync(next, EventMethods.UpdateRecord, Snapshot(next)!, now);
        }
        catch
        {
            if (emailChanged && HoldsEmail(newEmail!) == false) await ReleaseQuietlyAsync(newEmail!);
            throw;
        }
        if (emailChanged && oldEmail is not null) await ReleaseQuietlyAsync(oldEmail);
        return Outcome<RecordSnapshot>.Ok(_snapshot!);
    }

    /// <inheritdoc />
    public async Task<Outcome<RecordSnapshot>> DeleteAsync(long? expectedVersion)
    {
        await LoadAsync();
        var current = state.State;
        if (!current.Exists || _snapshot is not { } deleted) return NotFound();
        if (expectedVersion is { } expected && expected != current.Version)
        {
            return Outcome<RecordSnapshot>.PreconditionFailed($"The record is at version {current.Version}, not {expected}.");
        }

        var now = DateTimeOffset.UtcNow;
        var next = new RecordState { Exists = false, CreatedAt = current.CreatedAt, UpdatedAt = now, Version = current.Version + 1 };
        await CommitAsync(next, EventMethods.DeleteRecord, deleted, now);
        if (current.Data is { } data && EmailOf(data) is { } email) await ReleaseQuietlyAsync(email);
        return Outcome<RecordSnapshot>.Ok(deleted);
    }

    /// <inheritdoc />
    public async Task<bool> ExistsAsync()
    {
        await LoadAsync();
        return state.State.Exists;
    }

    /// <inheritdoc />
    public async Task<bool> HoldsValueAsync(string field, string normalizedValue)
    {
        await LoadAsync();
        return field == "email" && state.State.Exists && state.State.Data is { } data && EmailOf(data) == normalizedValue;
    }

    /// <inheritdoc />
    public Task ConfirmEventsAsync(Guid[] eventIds)
    {
        _outbox.Confirm(eventIds);
        return Task.CompletedTask;
    }

    /// <summary>Reads the state on first use, and publishes what its outbox still holds (a crash left it unlogged).</summary>
    private async Task LoadAsync()
    {
        if (state.IsLoaded) return;
        await state.LoadAsync();
        if (_snapshot is null && state.State.Exists) _snapshot = Snapshot(state.State);
        await _outbox.PublishPendingAsync();
    }

    /// <summary>Writes <paramref name="next"/> with its event, updates the index, then publishes the event.</summary>
    private async Task CommitAsync(RecordState next, string method, RecordSnapshot content, DateTimeOffset now)
    {
        var item = _outbox.NewEvent(method, _table, _id, RecordJson.ToJson(content), now);
        next.Outbox = [.. state.State.Outbox, item];
        var previous = state.State;
        state.State = next;
        try
        {
            await state.WriteAsync();
        }
        catch (InconsistentStateException)
        {
            state.State = previous;
            DeactivateOnIdle();
            throw;
        }
        catch (Exception e)
        {
            // The write may have been applied: the stored state decides (see WriteReadBack).
            _snapshot = null;
            var fate = await WriteReadBack.ResolveAsync(this, state.ReloadAsync, () => _outbox.Holds(item), FollowThroughAsync, logger, e);
            if (fate != WriteFate.Written)
            {
                if (fate == WriteFate.NotWritten) _snapshot = Snapshot(state.State);
                throw;
            }
        }
        _outbox.OnStateWritten();
        _snapshot = Snapshot(state.State);
        // The index and the event log are independent: update one while publishing to the other.
        await Task.WhenAll(ApplyToPartitionAsync(next.Version), _outbox.PublishAsync([item]));
    }

    /// <summary>After a write's fate became known late: what an acknowledged write does, for whatever is stored.</summary>
    private async Task FollowThroughAsync()
    {
        _snapshot = Snapshot(state.State);
        await Task.WhenAll(ApplyToPartitionAsync(state.State.Version), _outbox.PublishPendingAsync());
    }

    /// <summary>True when the state is known (read or written) and the record holds <paramref name="email"/>; null when not known.</summary>
    private bool? HoldsEmail(string email)
        => state.IsLoaded ? state.State.Exists && state.State.Data is { } data && EmailOf(data) == email : null;

    private async Task ApplyToPartitionAsync(long version)
    {
        var partition = GrainFactory.GetGrain<ITablePartitionGrain>($"{_table}/{Partitioning.Of(_id)}");
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await partition.ApplyAsync(_id, version, _snapshot);
                return;
            }
            catch (Exception e) when (attempt < 3)
            {
                LogPartitionRetry(logger, e, this.GetPrimaryKeyString(), attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt));
            }
            catch (Exception e)
            {
                // The change is durable; the partition reloads it from storage when it is next activated.
                LogPartitionFailed(logger, e, this.GetPrimaryKeyString());
                return;
            }
        }
    }

    private async Task<Outcome<RecordSnapshot>?> CheckReferencesAsync(JsonObject data, JsonElement? previous)
    {
        if (_table != TableNames.Orders) return null;
        var userId = data["user_id"]!.GetValue<string>();
        if (previous is { } old && old.TryGetProperty("user_id", out var oldUser) && oldUser.ValueKind == JsonValueKind.String && oldUser.GetString() == userId)
        {
            return null;
        }
        var exists = await GrainFactory.GetGrain<IRecordGrain>(TableNames.RecordKey(TableNames.Users, userId)).ExistsAsync();
        return exists ? null : Outcome<RecordSnapshot>.Invalid("user_id", $"no users record has id '{userId}'");
    }

    private string? EmailOf(JsonObject data)
        => _table == TableNames.Users && data["email"] is { } node && node.GetValueKind() == JsonValueKind.String
            ? TableSchemas.NormalizeEmail(node.GetValue<string>())
            : null;

    private string? EmailOf(JsonElement data)
        => _table == TableNames.Users && data.TryGetProperty("email", out var node) && node.ValueKind == JsonValueKind.String
            ? TableSchemas.NormalizeEmail(node.GetString()!)
            : null;

    private IUniqueValueGrain Unique(string normalizedEmail)
        => GrainFactory.GetGrain<IUniqueValueGrain>($"{TableNames.Users}/email/{normalizedEmail}");

    private async Task ReleaseQuietlyAsync(string normalizedEmail)
    {
        try
        {
            await Unique(normalizedEmail).ReleaseAsync(_id);
        }
        catch (Exception e)
        {
            // A stale reservation is taken over later: its owner no longer holds the value.
            LogReleaseFailed(logger, e, this.GetPrimaryKeyString());
        }
    }

    private static Outcome<RecordSnapshot> HashingBusy()
        => Outcome<RecordSnapshot>.Unavailable("Too many password hashes are waiting; retry the request shortly.");

    private Outcome<RecordSnapshot> NotFound() => Outcome<RecordSnapshot>.NotFound($"Record '{_id}' does not exist in table '{_table}'.");

    private RecordSnapshot? Snapshot(RecordState s)
        => s.Exists && s.Data is { } data ? new RecordSnapshot(_table, _id, data.GetRawText(), s.CreatedAt, s.UpdatedAt, s.Version) : null;

    /// <summary>The JSON object <paramref name="json"/>, or the outcome refusing it (malformed, not an object, or beyond <see cref="InputLimits"/>).</summary>
    private static (JsonObject? Value, Outcome<RecordSnapshot>? Refused) ParseObject(string json, string field)
    {
        // Paths are the record's field names, as in the schema's errors.
        if (InputLimits.CheckJson(json, "") is { } problem) return (null, Outcome<RecordSnapshot>.Refused(problem, field));
        return JsonNode.Parse(json) is JsonObject value ? (value, null) : (null, Outcome<RecordSnapshot>.Invalid(field, "must be a JSON object"));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Index partition did not take the change of {Record} (attempt {Attempt}); retrying")]
    private static partial void LogPartitionRetry(ILogger logger, Exception exception, string record, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Index partition did not take the change of {Record}; it will reload it from storage")]
    private static partial void LogPartitionFailed(ILogger logger, Exception exception, string record);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release an email reservation of {Record}")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string record);
}
