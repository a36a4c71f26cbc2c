using InMemoryDb.Grains.Persistence;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace InMemoryDb.Grains.Tables;

/// <summary>
/// Decides uniqueness of one value (a table's unique field, or a platform user's email or CPF), durably and one
/// request at a time, so two concurrent creates with the same email cannot both win, and the decision survives
/// restarts. An owner reserves the value before it writes itself; if it never does (a crash in between), the
/// reservation is taken over once it is older than <see cref="Lease"/> and the owner does not hold the value.
/// A value is almost always new: the first reservation inserts without reading first (the entity kernel's
/// <see cref="EntityGrain{TState}.AssumeNew"/>); only when the row exists is it read, and the request decided again.
/// Reservations log no event (they are not changes anyone reads).
/// </summary>
public sealed class UniqueValueGrain([FromKeyedServices(ProviderNames.Storage)] IGrainStorage storage, ILogger<UniqueValueGrain> logger)
    : EntityGrain<UniqueValueState>(storage, StateName, logger), IUniqueValueGrain
{
    /// <summary>The storage name of reservations.</summary>
    public const string StateName = "unique";

    /// <summary>How long a reservation is protected before its owner is asked whether it really holds the value.</summary>
    public static readonly TimeSpan Lease = TimeSpan.FromSeconds(30);

    private string _table = "";
    private string _field = "";
    private string _value = "";

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var first = key.IndexOf('/');
        var second = key.IndexOf('/', first + 1);
        (_table, _field, _value) = (key[..first], key[(first + 1)..second], key[(second + 1)..]);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<Reservation> ReserveAsync(string ownerId)
    {
        if (!IsLoaded) AssumeNew();
        try
        {
            return await DecideAsync(ownerId);
        }
        catch (InconsistentStateException)
        {
            // The value has a row (reserved before this activation): the state is read again, and the request decided on it.
            return await DecideAsync(ownerId);
        }
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(string ownerId)
    {
        await LoadAsync();
        if (State.Owner == ownerId) await CommitAsync(new UniqueValueState { Owner = null, ReservedAt = DateTimeOffset.UtcNow });
    }

    private async Task<Reservation> DecideAsync(string ownerId)
    {
        await LoadAsync();
        var current = State.Owner;
        if (current == ownerId) return Reservation.AlreadyHeld;
        if (current is not null)
        {
            if (DateTimeOffset.UtcNow - State.ReservedAt < Lease) return Reservation.Taken;
            if (await Holder(current).HoldsValueAsync(_field, _value)) return Reservation.Taken;
        }
        await CommitAsync(new UniqueValueState { Owner = ownerId, ReservedAt = DateTimeOffset.UtcNow });
        return Reservation.Reserved;
    }

    /// <summary>The entity <paramref name="ownerId"/> of this value's scope: a platform user, or a record of the table.</summary>
    private IUniqueValueHolder Holder(string ownerId) => _table == InMemoryDb.Streaming.StreamingKeys.UniqueScope
        ? GrainFactory.GetGrain<InMemoryDb.Streaming.IUsuarioGrain>(InMemoryDb.Streaming.StreamingKeys.Of(InMemoryDb.Streaming.StreamingKeys.Users, long.Parse(ownerId, System.Globalization.CultureInfo.InvariantCulture)))
        : GrainFactory.GetGrain<IRecordGrain>(TableNames.RecordKey(_table, ownerId));
}
