namespace InMemoryDb.Grains.Streaming;

/// <summary>Hands out blocks of user ids (key 0): each block is durable before it is handed out, so no id is ever given twice.</summary>
public interface IUserIdAllocatorGrain : IGrainWithIntegerKey
{
    /// <summary>The first id of a new block of <paramref name="size"/> ids.</summary>
    Task<long> AllocateAsync(int size);
}

/// <summary>The persisted state of the <see cref="UserIdAllocatorGrain"/>.</summary>
public sealed class UserIdAllocatorState
{
    /// <summary>The first id not handed out yet.</summary>
    public long Next { get; set; } = 1;
}

/// <summary>
/// The user id allocator (<see cref="IUserIdAllocatorGrain"/>): one durable write per block, never a reused id.
/// Ids a front door held unused when it left are skipped, not reused; an id a client chose itself is skipped when
/// its turn comes (the create finds it taken and takes the next).
/// </summary>
public sealed class UserIdAllocatorGrain([PersistentState("ids", ProviderNames.Storage)] IPersistentState<UserIdAllocatorState> state)
    : Grain, IUserIdAllocatorGrain
{
    /// <inheritdoc />
    public async Task<long> AllocateAsync(int size)
    {
        var first = state.State.Next;
        state.State.Next = first + size;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            // Not known to be stored: give nothing, and read the stored value again next time.
            state.State.Next = first;
            DeactivateOnIdle();
            throw;
        }
        return first;
    }
}
