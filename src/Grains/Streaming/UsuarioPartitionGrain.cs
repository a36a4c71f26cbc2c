using InMemoryDb.Grains.Persistence;
using InMemoryDb.Streaming;

namespace InMemoryDb.Grains.Streaming;

/// <summary>
/// One of the <see cref="Partitioning.Count"/> in-memory partitions of the platform's users, keyed by partition number
/// (<see cref="Partitioning.Of"/> of the user id's text): user listings and counts, without activating users.
/// </summary>
public interface IUsuarioPartitionGrain : IGrainWithIntegerKey
{
    /// <summary>Holds a created user (idempotent: a user's profile never changes).</summary>
    Task AddAsync(Usuario usuario);

    /// <summary>The number of users in this partition.</summary>
    [ReadOnly]
    Task<int> CountAsync();

    /// <summary>Up to <paramref name="limit"/> users with an id above <paramref name="after"/>, in id order.</summary>
    [ReadOnly]
    Task<Usuario[]> PageAsync(long after, int limit);

    /// <summary>After silo <paramref name="deadSilo"/> died: holds every stored user it lacks.</summary>
    Task ReconcileAsync(string deadSilo);
}

/// <summary>The users of one partition in id order (<see cref="IUsuarioPartitionGrain"/>), rebuilt from storage on activation.</summary>
[KeepAlive]
public sealed class UsuarioPartitionGrain(IGrainStateScanner scanner, ILogger<UsuarioPartitionGrain> logger)
    : ProjectionPartitionGrain<UsuarioState, Usuario>(scanner, logger), IUsuarioPartitionGrain
{
    private readonly SortedList<long, Usuario> _users = [];

    /// <inheritdoc />
    protected override string Scope => StreamingKeys.Users;

    /// <inheritdoc />
    protected override string StateName => UsuarioGrain.StateName;

    /// <inheritdoc />
    protected override bool Versioned => false;

    /// <inheritdoc />
    protected override int Count => _users.Count;

    /// <inheritdoc />
    protected override Stored? FromStored(string grainKey, UsuarioState state)
        => state.Usuario is { } usuario ? new Stored(IdOf(grainKey), 0, usuario) : null;

    /// <inheritdoc />
    protected override void Set(string key, Usuario? usuario)
    {
        if (usuario is not null) _users.TryAdd(usuario.UserId, usuario);
    }

    /// <inheritdoc />
    public Task AddAsync(Usuario usuario) => ApplyAsync(usuario.UserId.ToString(System.Globalization.CultureInfo.InvariantCulture), 0, usuario);

    /// <inheritdoc />
    public async Task<Usuario[]> PageAsync(long after, int limit)
    {
        await WaitUntilLoadedAsync();
        var keys = _users.Keys;
        // The first id above 'after': a binary search over the sorted ids.
        int low = 0, high = keys.Count;
        while (low < high)
        {
            var mid = (low + high) >>> 1;
            if (keys[mid] <= after) low = mid + 1;
            else high = mid;
        }
        var page = new Usuario[Math.Max(0, Math.Min(limit, keys.Count - low))];
        for (var i = 0; i < page.Length; i++) page[i] = _users.Values[low + i];
        return page;
    }
}
