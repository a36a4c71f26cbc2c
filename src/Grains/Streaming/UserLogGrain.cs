using System.Text.Json;
using InMemoryDb.Grains.Persistence;
using InMemoryDb.Streaming;
using Orleans.Storage;

namespace InMemoryDb.Grains.Streaming;

/// <summary>The persisted state of a user's append-only log (viewings, payments): the open segment and how many are sealed.</summary>
/// <typeparam name="TItem">The logged item.</typeparam>
public abstract class UserLogState<TItem> : EntityState
{
    /// <summary>How many full segments are stored apart (<see cref="LogSegmentGrain"/>), numbered from 0.</summary>
    public int Sealed { get; set; }

    /// <summary>The newest items, oldest first (at most <see cref="UserLogGrain{TState, TItem}.SegmentSize"/>).</summary>
    public List<TItem> Open { get; set; } = [];
}

/// <summary>
/// A user's append-only log (viewings, payments), keyed <c>{scope}/{user_id}</c>. An append writes the open segment
/// only (at most <see cref="SegmentSize"/> items), never the whole history: a full segment is first stored apart,
/// once, as a sealed <see cref="LogSegmentGrain"/>, and the open one starts again. Reads load the sealed segments on
/// first need and keep them while the grain is active. Appends for a user who does not exist are refused (404) before
/// anything is written; users are never deleted, so the check is made once per activation.
/// </summary>
/// <typeparam name="TState">The stored state.</typeparam>
/// <typeparam name="TItem">The logged item.</typeparam>
public abstract class UserLogGrain<TState, TItem>(IGrainStorage storage, string stateName, ILogger logger)
    : UserScopedGrain<TState>(storage, stateName, logger)
    where TState : UserLogState<TItem>, new()
{
    /// <summary>Items per segment: an append rewrites at most this many.</summary>
    public const int SegmentSize = 32;

    private readonly List<IReadOnlyList<TItem>> _sealed = [];

    /// <summary>A state holding <paramref name="sealedCount"/> sealed segments and <paramref name="open"/>.</summary>
    protected abstract TState NewState(int sealedCount, List<TItem> open);

    /// <summary>Appends <paramref name="item"/> with its event (sealing the open segment first when it is full).</summary>
    protected async Task AppendAsync(TItem item, EventEnvelope change)
    {
        await LoadAsync();
        var current = State;
        if (current.Open.Count >= SegmentSize)
        {
            var full = current.Open.ToArray();
            await Segment(current.Sealed).SealAsync(JsonSerializer.Serialize(full, StreamingJson.Options));
            if (_sealed.Count == current.Sealed) _sealed.Add(full);
            await CommitAsync(NewState(current.Sealed + 1, [item]), change);
            return;
        }
        await CommitAsync(NewState(current.Sealed, [.. current.Open, item]), change);
    }

    /// <summary>Every item, newest first (loads the sealed segments not held yet).</summary>
    protected async Task<IEnumerable<TItem>> NewestFirstAsync()
    {
        await LoadAsync();
        var sealedCount = State.Sealed;
        if (_sealed.Count < sealedCount)
        {
            var first = _sealed.Count;
            var read = await Task.WhenAll(Enumerable.Range(first, sealedCount - first).Select(n => Segment(n).GetAsync()));
            // Interleaved readers may have loaded some meanwhile: each segment is added once, in order.
            for (var n = _sealed.Count - first; n < read.Length; n++)
            {
                _sealed.Add(JsonSerializer.Deserialize<TItem[]>(read[n] ?? "[]", StreamingJson.Options) ?? []);
            }
        }
        return Enumerate(State.Open, _sealed, sealedCount);
    }

    /// <summary>How many items the log holds.</summary>
    protected int CountLoaded => State.Open.Count + (State.Sealed * SegmentSize);

    private static IEnumerable<TItem> Enumerate(List<TItem> open, List<IReadOnlyList<TItem>> segments, int sealedCount)
    {
        for (var i = open.Count - 1; i >= 0; i--) yield return open[i];
        for (var s = Math.Min(sealedCount, segments.Count) - 1; s >= 0; s--)
        {
            var segment = segments[s];
            for (var i = segment.Count - 1; i >= 0; i--) yield return segment[i];
        }
    }

    private ILogSegmentGrain Segment(int number)
        => GrainFactory.GetGrain<ILogSegmentGrain>($"{LogSegmentGrain.Scope}/{this.GetPrimaryKeyString().Replace('/', '.')}.{number.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
}

/// <summary>
/// A grain of one user's data, keyed <c>{scope}/{user_id}</c> (payments, viewings, sessions, recommendations). Its
/// changes are refused (404) for a user who does not exist, before anything is written; users are never deleted, so
/// the check is made once per activation.
/// </summary>
/// <typeparam name="TState">The stored state.</typeparam>
public abstract class UserScopedGrain<TState>(IGrainStorage storage, string stateName, ILogger logger) : EntityGrain<TState>(storage, stateName, logger)
    where TState : EntityState, new()
{
    private bool _userExists;

    /// <summary>The user.</summary>
    protected long UserId => StreamingKeys.IdOf(this.GetPrimaryKeyString());

    /// <summary>The user id as text (event keys).</summary>
    protected string UserKey => UserId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Null when the user exists, else the not-found outcome (the grain then leaves once idle).</summary>
    protected async Task<Outcome<object>?> CheckUserAsync()
    {
        if (_userExists) return null;
        var userId = UserId;
        if (userId == 0) return Outcome<object>.BadRequest($"'{this.GetPrimaryKeyString()}' is not a user's key.");
        _userExists = await GrainFactory.GetGrain<IUsuarioGrain>(StreamingKeys.Of(StreamingKeys.Users, userId)).GetAsync() is not null;
        if (_userExists) return null;
        DeactivateOnIdle();
        return Outcome<object>.NotFound(UsuarioGrain.NotFound(userId));
    }
}

/// <summary>A sealed segment of a user's log, keyed <c>segmentos/{scope}.{user_id}.{n}</c>: written once, then only read.</summary>
public interface ILogSegmentGrain : IGrainWithStringKey
{
    /// <summary>Stores the segment's items (a JSON array); storing the same segment again changes nothing.</summary>
    Task SealAsync(string itemsJson);

    /// <summary>The segment's items (a JSON array), or null when it was never sealed.</summary>
    [ReadOnly]
    Task<string?> GetAsync();
}

/// <summary>The persisted state of a <see cref="LogSegmentGrain"/>.</summary>
public sealed class LogSegmentState : EntityState
{
    /// <summary>The items, a JSON array.</summary>
    public string? Items { get; set; }
}

/// <summary>A sealed log segment (<see cref="ILogSegmentGrain"/>): an insert, no event (the items' events were logged as they were appended).</summary>
public sealed class LogSegmentGrain([Microsoft.Extensions.DependencyInjection.FromKeyedServices(ProviderNames.Storage)] IGrainStorage storage, ILogger<LogSegmentGrain> logger)
    : EntityGrain<LogSegmentState>(storage, StateName, logger), ILogSegmentGrain
{
    /// <summary>The storage name of segment states.</summary>
    public const string StateName = "segmento";

    /// <summary>The key scope of segments.</summary>
    public const string Scope = "segmentos";

    /// <inheritdoc />
    public async Task SealAsync(string itemsJson)
    {
        if (!IsLoaded) AssumeNew();
        if (State.Items is not null) return;
        try
        {
            await CommitAsync(new LogSegmentState { Items = itemsJson });
        }
        catch (InconsistentStateException)
        {
            // Sealed before (an append whose answer was lost is being retried): the stored segment stands.
            await LoadAsync();
        }
        DeactivateOnIdle();
    }

    /// <inheritdoc />
    public async Task<string?> GetAsync()
    {
        await LoadAsync();
        DeactivateOnIdle();
        return State.Items;
    }
}
