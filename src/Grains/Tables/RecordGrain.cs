using System.Text.Json;
using System.Text.Json.Nodes;
using InMemoryDb.Grains.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace InMemoryDb.Grains.Tables;

/// <summary>
/// One record, keyed <c>{table}/{id}</c>. Every change is validated against the table's schema, committed with its
/// event through the entity kernel (<see cref="EntityGrain{TState}"/>), applied to the table's index partition, and
/// only then acknowledged.
/// </summary>
public sealed partial class RecordGrain : EntityGrain<RecordState>, IRecordGrain, IRecordCreator
{
    /// <summary>The storage name of record states (unique among grain classes).</summary>
    public const string StateName = "record";

    private readonly PasswordHashing passwords;
    private readonly ILogger<RecordGrain> logger;
    private readonly string _table;
    private readonly string _id;
    private RecordSnapshot? _snapshot;

    /// <summary>Creates the grain; its state is read from <see cref="ProviderNames.Storage"/> on first use.</summary>
    public RecordGrain([FromKeyedServices(ProviderNames.Storage)] IGrainStorage storage, PasswordHashing passwords, ILogger<RecordGrain> logger)
        : base(storage, StateName, logger)
    {
        this.passwords = passwords;
        this.logger = logger;
        (_table, _id) = TableNames.ParseRecordKey(this.GetPrimaryKeyString());
    }

    /// <inheritdoc />
    public async Task<Outcome<RecordSnapshot>> CreateNewAsync(string dataJson)
    {
        if (!IsLoaded) AssumeNew();
        try
        {
            return await CreateAsync(dataJson);
        }
        catch (InconsistentStateException)
        {
            // Something is stored under this id (a record, or a deleted one's tombstone): read it and decide as
            // for any other create.
            return await CreateAsync(dataJson);
        }
    }

    /// <inheritdoc />
    public async Task<Outcome<RecordSnapshot>> CreateAsync(string dataJson)
    {
        await LoadAsync();
        if (!TableNames.IsValid(_table)) return Outcome<RecordSnapshot>.BadRequest(TableGrain.InvalidTableMessage(_table));
        if (TableNames.CheckId(_id) is { } idProblem) return Outcome<RecordSnapshot>.Invalid("id", idProblem);
        if (State.Exists) return Outcome<RecordSnapshot>.Conflict($"A record with id '{_id}' already exists in table '{_table}'.");
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
        if (email is not null && await Unique(email).ReserveAsync(_id) == Reservation.Taken)
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
            Version = State.Version + 1,
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
        // Reads come from the table partition: a new record's writer leaves at once (a bulk load keeps no activations);
        // a record updated later activates again.
        DeactivateOnIdle();
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
        var current = State;
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
        if (emailChanged && await Unique(newEmail!).ReserveAsync(_id) == Reservation.Taken)
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
        var current = State;
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
        return State.Exists;
    }

    /// <inheritdoc />
    public async Task<bool> HoldsValueAsync(string field, string normalizedValue)
    {
        await LoadAsync();
        return field == "email" && State.Exists && State.Data is { } data && EmailOf(data) == normalizedValue;
    }

    /// <summary>Writes <paramref name="next"/> with its event and applies it to the table's partition (entity kernel).</summary>
    private Task CommitAsync(RecordState next, string method, RecordSnapshot content, DateTimeOffset now)
        => CommitAsync(next, NewEvent(method, _table, _id, RecordJson.ToJson(content), now));

    /// <inheritdoc />
    protected override void OnStateChanged() => _snapshot = IsLoaded ? Snapshot(State) : null;

    /// <inheritdoc />
    protected override bool ProjectionServesReads => true;

    /// <inheritdoc />
    protected override Task ProjectAsync()
        => GrainFactory.GetGrain<ITablePartitionGrain>($"{_table}/{Partitioning.Of(_id)}").ApplyAsync(_id, State.Version, _snapshot);

    /// <summary>True when the state is known (read or written) and the record holds <paramref name="email"/>; null when not known.</summary>
    private bool? HoldsEmail(string email)
        => IsLoaded ? State.Exists && State.Data is { } data && EmailOf(data) == email : null;

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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not release an email reservation of {Record}")]
    private static partial void LogReleaseFailed(ILogger logger, Exception exception, string record);
}
