using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace InMemoryDb.Grains.Persistence;

/// <summary>
/// The one rebuild and recovery protocol of every in-memory index partition (tables, key-value store, people,
/// questions and answer attempts): the projection of one <see cref="Partitioning"/> partition of one scope of entity
/// grains, whose kernel (<see cref="EntityGrain{TState}"/>) applies each committed state here before it answers.
/// <list type="bullet">
/// <item>Its key is the partition number (an integer-keyed grain, whose class names its <see cref="Scope"/>) or
/// <c>{scope}/{partition}</c> (a string-keyed one).</item>
/// <item>On activation it loads its entities straight from grain storage, the source of truth
/// (<see cref="IGrainStateScanner"/>), so a restart loses no entry: before its first call, or in the background
/// (<see cref="RebuildsInBackground"/>) while whole-partition questions wait or are refused (<see cref="WaitUntilLoadedAsync"/>).</item>
/// <item>It keeps each entity's version and drops a change no newer than the one it holds
/// (<see cref="ApplyAsync"/>).</item>
/// <item>After a silo died, once per dead silo, it scans storage again and applies every stored state newer than what
/// it holds (<see cref="ReconcileAsync"/>): an entity grain there may have committed and died before applying here.</item>
/// </list>
/// A partition declares its stored state (<typeparamref name="TState"/>, <see cref="StateName"/>), how a stored state
/// becomes its item (<see cref="FromStored"/>), how it holds an item (<see cref="Set"/>), and its own queries.
/// </summary>
/// <typeparam name="TState">The entity grains' stored state.</typeparam>
/// <typeparam name="TItem">What the partition holds of an entity (and what entity grains apply).</typeparam>
public abstract partial class ProjectionPartitionGrain<TState, TItem> : Grain
    where TState : EntityState
    where TItem : class
{
    private readonly IGrainStateScanner _scanner;
    private readonly ILogger _logger;
    private readonly string? _scope;
    private readonly Dictionary<string, long> _versions = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reconciledAfter = new(StringComparer.Ordinal);
    private bool _held;

    /// <summary>Creates the partition; its number (and scope, for a string key) is read from its grain key.</summary>
    protected ProjectionPartitionGrain(IGrainStateScanner scanner, ILogger logger)
    {
        _scanner = scanner;
        _logger = logger;
        if (this is IGrainWithIntegerKey)
        {
            Partition = (int)this.GetPrimaryKeyLong();
        }
        else
        {
            var key = this.GetPrimaryKeyString();
            var slash = key.LastIndexOf('/');
            _scope = key[..slash];
            Partition = int.Parse(key.AsSpan(slash + 1), System.Globalization.CultureInfo.InvariantCulture);
        }
    }

    /// <summary>An entity as stored (or applied): its key in this partition, its version, and its item (null: it does not exist).</summary>
    protected readonly record struct Stored(string Key, long Version, TItem? Item);

    /// <summary>This partition's number (<see cref="Partitioning.Of"/> of its entities' ids).</summary>
    protected int Partition { get; }

    /// <summary>The scope of the entities' grain keys (<c>{scope}/{id}</c>): by default the part of this partition's key before its last '/'.</summary>
    protected virtual string Scope => _scope ?? throw new InvalidOperationException($"{GetType().Name} is integer-keyed: it names its scope.");

    /// <summary>The storage name of the entities' state.</summary>
    protected abstract string StateName { get; }

    /// <summary>False when entities never change once stored (people): no version is kept, and <see cref="Set"/> ignores an item it holds.</summary>
    protected virtual bool Versioned => true;

    /// <summary>How many entities the partition holds.</summary>
    protected abstract int Count { get; }

    /// <summary>The entity a stored state describes (<paramref name="grainKey"/> is its grain's key), or null to skip the state.</summary>
    protected abstract Stored? FromStored(string grainKey, TState state);

    /// <summary>Holds <paramref name="item"/> as entity <paramref name="key"/>'s current item, or drops the entity (null).</summary>
    protected abstract void Set(string key, TItem? item);

    /// <summary>
    /// True when the partition serves single-entity reads: it then activates at once and loads from storage in the
    /// background (<see cref="IsRebuilding"/> until done), so those reads are served before the load finishes;
    /// false (default): the activation waits for the load.
    /// </summary>
    protected virtual bool RebuildsInBackground => false;

    /// <summary>True while the partition is still loading its entities from storage (listings would be partial).</summary>
    protected bool IsRebuilding { get; private set; }

    private readonly TaskCompletionSource _rebuilt = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>
    /// Before a whole-partition question (listing, count, search): waits up to a second for a load in progress (a short
    /// one, such as a new or small partition's, then goes unnoticed), and refuses the question if it is still loading.
    /// </summary>
    protected async ValueTask WaitUntilLoadedAsync()
    {
        if (!await LoadedWithinAsync(LoadWait))
        {
            throw new IndexRebuildingException($"The {Scope} index is loading its entries from storage after a start; ask again shortly (single reads are served meanwhile).", 1);
        }
    }

    /// <summary>True when the partition has loaded its entities from storage, or does within <paramref name="wait"/>.</summary>
    protected async Task<bool> LoadedWithinAsync(TimeSpan wait)
    {
        if (IsRebuilding) await Task.WhenAny(_rebuilt.Task, Task.Delay(wait));
        return !IsRebuilding;
    }

    /// <summary>How long a whole-partition question waits for a load in progress before it is refused.</summary>
    private static readonly TimeSpan LoadWait = TimeSpan.FromSeconds(1);

    /// <summary>Called when a background load has finished.</summary>
    protected virtual void OnRebuilt()
    {
    }

    /// <summary>Called once, before the partition first holds an entity (at the end of the activation scan, or before a change adds it).</summary>
    protected virtual Task OnFirstHeldAsync() => Task.CompletedTask;

    /// <summary>The id part of an entity grain key <c>{scope}/{id}</c>.</summary>
    protected string IdOf(string grainKey) => grainKey[(Scope.Length + 1)..];

    /// <summary>The version held of entity <paramref name="key"/> (0: none).</summary>
    protected long VersionOf(string key) => _versions.GetValueOrDefault(key);

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (RebuildsInBackground)
        {
            IsRebuilding = true;
            // Runs on the activation's scheduler between calls (it is not a call): reads and changes interleave with it.
            _ = RebuildInBackgroundAsync();
            return;
        }
        await RebuildAsync(cancellationToken);
        _rebuilt.TrySetResult();
    }

    private async Task RebuildAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var scanned = 0;
        await foreach (var stored in ScanAsync(cancellationToken))
        {
            if (IsNewer(stored)) Hold(stored);
            // Lets waiting calls run now and then during a long load.
            if (RebuildsInBackground && ++scanned % 4096 == 0) await Task.Yield();
        }
        if (Count > 0) await FirstHeldAsync();
        LogRebuilt(_logger, Scope, Partition, Count, watch.ElapsedMilliseconds);
    }

    private async Task RebuildInBackgroundAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await RebuildAsync(CancellationToken.None);
                IsRebuilding = false;
                OnRebuilt();
                _rebuilt.TrySetResult();
                return;
            }
            catch (Exception e)
            {
                // Entries already held stay (versions keep them right); the next scan applies what is newer.
                LogRebuildFailed(_logger, e, Scope, Partition, attempt);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)));
            }
        }
    }

    /// <summary>Records a change of entity <paramref name="key"/> (null: it no longer exists); a version no newer than the one held is dropped.</summary>
    public async Task ApplyAsync(string key, long version, TItem? item)
    {
        var change = new Stored(key, version, item);
        if (!IsNewer(change)) return;
        if (item is not null && !_held) await FirstHeldAsync();
        Hold(change);
    }

    /// <summary>The number of entities (<see cref="WaitUntilLoadedAsync"/> first).</summary>
    public async Task<int> CountAsync()
    {
        await WaitUntilLoadedAsync();
        return Count;
    }

    /// <summary>
    /// After silo <paramref name="deadSilo"/> died (once per dead silo): applies every stored state newer than what the
    /// partition holds. Its events need nothing: they were logged with the state.
    /// </summary>
    public async Task ReconcileAsync(string deadSilo)
    {
        if (!_reconciledAfter.Add(deadSilo)) return;
        await foreach (var stored in ScanAsync(CancellationToken.None))
        {
            await ApplyAsync(stored.Key, stored.Version, stored.Item);
        }
    }

    private async IAsyncEnumerable<Stored> ScanAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var (grainKey, state) in _scanner.ScanAsync<TState>(StateName, Scope, Partition, cancellationToken))
        {
            if (FromStored(grainKey, state) is { } stored) yield return stored;
        }
    }

    /// <summary>True when <paramref name="change"/> is newer than what the partition holds of its entity.</summary>
    protected virtual bool IsNewer(Stored change) => !Versioned || !_versions.TryGetValue(change.Key, out var known) || known < change.Version;

    /// <summary>Holds <paramref name="change"/> (known to be newer): its version and its item.</summary>
    protected virtual void Hold(Stored change)
    {
        if (Versioned) _versions[change.Key] = change.Version;
        Set(change.Key, change.Item);
    }

    private async Task FirstHeldAsync()
    {
        if (_held) return;
        await OnFirstHeldAsync();
        _held = true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Partition {Scope}/{Partition} could not load from storage (attempt {Attempt}); retrying")]
    private static partial void LogRebuildFailed(ILogger logger, Exception exception, string scope, int partition, int attempt);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Partition {Scope}/{Partition} loaded {Count} entities from storage in {Elapsed} ms")]
    private static partial void LogRebuilt(ILogger logger, string scope, int partition, int count, long elapsed);
}
