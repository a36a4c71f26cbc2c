using Orleans.Storage;

namespace InMemoryDb.Grains.Tables;

/// <summary>
/// Decides uniqueness of one value (a table's unique field, or a platform user's email or CPF), durably and one request at a time, so two concurrent creates with the same
/// email cannot both win, and the decision survives restarts. A record reserves the value before it writes
/// itself; if it never does (a crash in between), the reservation is taken over once it is older than
/// <see cref="Lease"/> and the owner does not hold the value.
/// </summary>
public sealed class UniqueValueGrain(
    [PersistentState("unique", ProviderNames.Storage)] IPersistentState<UniqueValueState> state) : Grain, IUniqueValueGrain
{
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
        var current = state.State.Owner;
        if (current == ownerId) return Reservation.AlreadyHeld;
        if (current is not null)
        {
            if (DateTimeOffset.UtcNow - state.State.ReservedAt < Lease) return Reservation.Taken;
            if (await Holder(current).HoldsValueAsync(_field, _value)) return Reservation.Taken;
        }
        await WriteAsync(ownerId);
        return Reservation.Reserved;
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(string ownerId)
    {
        if (state.State.Owner == ownerId)
        {
            await WriteAsync(null);
        }
    }

    /// <summary>The entity <paramref name="ownerId"/> of this value's scope: a platform user, or a record of the table.</summary>
    private IUniqueValueHolder Holder(string ownerId) => _table == InMemoryDb.Streaming.StreamingKeys.UniqueScope
        ? GrainFactory.GetGrain<InMemoryDb.Streaming.IUsuarioGrain>(InMemoryDb.Streaming.StreamingKeys.Of(InMemoryDb.Streaming.StreamingKeys.Users, long.Parse(ownerId, System.Globalization.CultureInfo.InvariantCulture)))
        : GrainFactory.GetGrain<IRecordGrain>(TableNames.RecordKey(_table, ownerId));

    private async Task WriteAsync(string? owner)
    {
        var previous = (state.State.Owner, state.State.ReservedAt);
        state.State.Owner = owner;
        state.State.ReservedAt = DateTimeOffset.UtcNow;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception e)
        {
            (state.State.Owner, state.State.ReservedAt) = previous;
            if (e is InconsistentStateException) DeactivateOnIdle();
            throw;
        }
    }
}
