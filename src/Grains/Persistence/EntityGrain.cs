using System.Text.Json.Serialization;
using Orleans.Storage;

namespace InMemoryDb.Grains.Persistence;

/// <summary>
/// The base of every entity's stored state. The storage writes <see cref="Events"/> into the event log in the same
/// statement and transaction as the state (<see cref="PostgresGroupCommit"/>, <see cref="InMemoryGrainStorage"/>),
/// so an acknowledged change has its events durable by construction; they are not part of the stored state.
/// </summary>
public abstract class EntityState
{
    /// <summary>The id of the write that stored this state: a write whose answer was lost is recognised by it when read back.</summary>
    /// <remarks>Every kernel write sets it; a state stored otherwise (a test, a tool) has none and stores none.</remarks>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public Guid WriteId { get; set; }

    /// <summary>The events of the write being made (empty once written); never stored with the state.</summary>
    [JsonIgnore]
    public EventEnvelope[] Events { get; set; } = [];
}

/// <summary>What a state write that failed with an error other than a version conflict actually did.</summary>
public enum WriteFate
{
    /// <summary>The stored state holds the write: the change is durable after all.</summary>
    Written,

    /// <summary>The stored state does not hold the write: the grain's state is now the stored one.</summary>
    NotWritten,

    /// <summary>The state could not be read back either; the grain keeps trying in the background.</summary>
    Unknown,
}

/// <summary>
/// The entity kernel: the one write protocol of every grain that owns stored state. A grain declares its state
/// (<typeparamref name="TState"/>), its rules, and for each change the next state and its events; the kernel
/// <list type="number">
/// <item>loads the state on first use (<see cref="LoadAsync"/>), or skips the read for an id just generated (<see cref="AssumeNew"/>);</item>
/// <item>commits the next state and its events in one write (<see cref="CommitAsync"/>): durable state and event log, or neither;</item>
/// <item>decides a write of unknown fate (the connection failed while the commit's answer was on its way) by reading the
/// state back and looking for the write's id: found, the change is durable and the call succeeds; not found, the grain
/// takes the stored state and the call fails; unreadable, the call fails and a timer reads until it can, then applies
/// whatever is stored to the projection;</item>
/// <item>applies every committed state to the grain's projection (<see cref="ProjectAsync"/>, an index partition) with
/// a few retries before answering, waiting at most a second for each (a hung partition silo must not block the key);
/// a partition that missed it reconciles from storage when it activates or a silo dies.</item>
/// </list>
/// A write past its call's <see cref="Deadline"/>, or refused by the silo's fence, is surely not written
/// (<see cref="NotPerformedException"/>): the state stays as it was. A version conflict (another activation wrote first) restores nothing of the attempted state: the grain forgets its
/// state, so the next call reads the stored one, and the call fails with <see cref="InconsistentStateException"/>.
/// </summary>
public abstract partial class EntityGrain<TState> : Grain where TState : EntityState, new()
{
    private static readonly TimeSpan ReadBackPeriod = TimeSpan.FromSeconds(2);

    /// <summary>How long a committed change waits for its projection before answering anyway.</summary>
    private static readonly TimeSpan ProjectionWait = TimeSpan.FromSeconds(1);

    /// <summary>How long a change whose projection serves reads waits for it when the call has no deadline.</summary>
    private static readonly TimeSpan ProjectionWaitWithoutDeadline = TimeSpan.FromSeconds(30);
    private readonly StoredState<TState> _stored;
    private readonly ILogger _logger;
    private IGrainTimer? _readBack;

    /// <summary>Creates the kernel over <paramref name="storage"/>, where this grain's state is named <paramref name="stateName"/>.</summary>
    protected EntityGrain(IGrainStorage storage, string stateName, ILogger logger)
    {
        _stored = new StoredState<TState>(storage, stateName, this.GetGrainId());
        _logger = logger;
    }

    /// <summary>The current state (the stored one, or the one just committed).</summary>
    protected TState State => _stored.State;

    /// <summary>True once the state was read (or is known to be new).</summary>
    protected bool IsLoaded => _stored.IsLoaded;

    /// <summary>True when a state is stored for this grain.</summary>
    protected bool RecordExists => _stored.RecordExists;

    /// <summary>Reads the state on first use; concurrent (interleaved) callers share the read.</summary>
    /// <remarks>
    /// Interleaved callers (read-only methods) share one load that ends after <see cref="OnStateChanged"/>: the storage
    /// read alone completing must not let a second caller see the state before what the grain derives from it (a
    /// record's snapshot) was set, which answered "not found" for a stored record.
    /// </remarks>
    protected Task LoadAsync()
    {
        if (_loadNow is { IsCompleted: false } loading) return loading;
        _loadNow = null;
        if (_stored.IsLoaded) return Task.CompletedTask;
        var load = LoadNowAsync();
        if (!load.IsCompleted) _loadNow = load;
        return load;
    }

    /// <summary>Takes the state as new without reading it (an id just generated); the first commit then inserts.</summary>
    protected void AssumeNew()
    {
        _stored.AssumeNew();
        OnStateChanged();
    }

    /// <summary>Takes <paramref name="state"/>, stored under version <paramref name="etag"/>, as the state without reading it (<see cref="StoredState{T}.AssumeStored"/>).</summary>
    protected void AssumeStored(TState state, string etag)
    {
        _stored.AssumeStored(state, etag);
        OnStateChanged();
    }

    /// <summary>Forgets the state, so the next <see cref="LoadAsync"/> reads it again.</summary>
    protected void Forget() => _stored.Forget();

    /// <summary>Called whenever <see cref="State"/> changed: read, committed, or taken from storage after a failed write.</summary>
    protected virtual void OnStateChanged()
    {
    }

    /// <summary>Applies the current (committed) state to the grain's projection; idempotent (partitions drop stale versions).</summary>
    protected virtual Task ProjectAsync() => Task.CompletedTask;

    /// <summary>
    /// True when the projection serves this entity's reads (the key-value store): a change is then answered only once
    /// its partition confirmed it, however long that takes within the call's deadline (past it the call fails with
    /// <see cref="ProjectionPendingException"/>), or once the partition's silo is dead (its successor loads the change
    /// from storage). False: the grain serves its own reads, and waits at most a second for its projection.
    /// </summary>
    protected virtual bool ProjectionServesReads => false;

    /// <summary>A new event of this grain, carrying the current correlation id (or a new one).</summary>
    protected EventEnvelope NewEvent(string method, string entity, string key, string contentJson, DateTimeOffset timestamp)
        => new(Guid.NewGuid(), method, entity, key, contentJson, timestamp, Correlation.Current ?? Guid.NewGuid().ToString("N"), this.GetGrainId().ToString());

    /// <summary>
    /// Makes <paramref name="next"/> the state, durably and with <paramref name="events"/> in the event log, then applies it
    /// to the projection. Throws <see cref="InconsistentStateException"/> when another write came first (the state is
    /// then re-read on the next call), or the write's error when it surely did not happen or its fate is unknown.
    /// </summary>
    protected async Task CommitAsync(TState next, params EventEnvelope[] events)
    {
        // Nobody waits for the answer any more: the change is not made (a late write must not land).
        Deadline.ThrowIfPassed("the write", beforeCall: false);
        next.WriteId = Guid.NewGuid();
        next.Events = events;
        var previous = _stored.State;
        _stored.State = next;
        try
        {
            await _stored.WriteAsync();
        }
        catch (InconsistentStateException)
        {
            _stored.State = previous;
            _stored.Forget();
            OnStateChanged();
            throw;
        }
        catch (NotPerformedException)
        {
            // Refused before it was sent (deadline) or by the database's fence: surely not written.
            _stored.State = previous;
            OnStateChanged();
            throw;
        }
        catch (Exception e)
        {
            var fate = await ResolveAsync(next.WriteId, e);
            if (fate != WriteFate.Written)
            {
                if (fate == WriteFate.Unknown) _stored.State = previous;
                OnStateChanged();
                throw;
            }
        }
        finally
        {
            next.Events = [];
        }
        OnStateChanged();
        await ProjectWithRetriesAsync();
    }

    private async Task LoadNowAsync()
    {
        await _stored.LoadAsync();
        OnStateChanged();
    }

    /// <summary>The load in progress (storage read, then <see cref="OnStateChanged"/>), shared by interleaved callers.</summary>
    private Task? _loadNow;

    /// <summary>Reads the state back after <paramref name="error"/> and tells whether it holds the write <paramref name="writeId"/>.</summary>
    private async Task<WriteFate> ResolveAsync(Guid writeId, Exception error)
    {
        try
        {
            await _stored.ReloadAsync();
        }
        catch (Exception readError)
        {
            LogUnknown(_logger, error, this.GetGrainId(), readError.Message);
            _readBack ??= this.RegisterGrainTimer(ReadBackAsync, new GrainTimerCreationOptions(ReadBackPeriod, ReadBackPeriod) { KeepAlive = true });
            return WriteFate.Unknown;
        }
        var fate = _stored.State.WriteId == writeId ? WriteFate.Written : WriteFate.NotWritten;
        LogResolved(_logger, error, this.GetGrainId(), fate);
        return fate;
    }

    /// <summary>The timer after an unknown fate: reads until it can, then applies whatever is stored to the projection.</summary>
    private async Task ReadBackAsync()
    {
        try
        {
            await _stored.LoadAsync();
        }
        catch (Exception e)
        {
            LogStillUnknown(_logger, this.GetGrainId(), e.Message);
            return;
        }
        _readBack?.Dispose();
        _readBack = null;
        LogReadBackLater(_logger, this.GetGrainId());
        OnStateChanged();
        if (_stored.RecordExists) await ProjectWithRetriesAsync();
    }

    private async Task ProjectWithRetriesAsync()
    {
        if (ProjectionServesReads)
        {
            await ProjectBeforeAnsweringAsync();
            return;
        }
        // The change is committed: its projection is owed whatever the caller's deadline.
        Deadline.Clear();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ProjectAsync().WaitAsync(ProjectionWait);
                return;
            }
            catch (TimeoutException e)
            {
                // The partition's silo is slow or hung: the call stays in flight and applies when it arrives; if that
                // silo dies instead, its partitions reconcile from storage. The grain does not wait on it (a grain
                // that waited would block its own key's callers for as long as another silo hangs).
                LogProjectionPending(_logger, e, this.GetGrainId(), ProjectionWait.TotalMilliseconds);
                return;
            }
            catch (Exception e) when (attempt < 3)
            {
                LogProjectionRetry(_logger, e, this.GetGrainId(), attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt));
            }
            catch (Exception e)
            {
                // The change is durable; the partition reconciles from storage when it next activates or a silo dies.
                LogProjectionFailed(_logger, e, this.GetGrainId());
                return;
            }
        }
    }

    /// <summary>Applies the committed change to the projection that serves its reads before the change is answered.</summary>
    private async Task ProjectBeforeAnsweringAsync()
    {
        var deadline = Deadline.Current is { } unixMilliseconds
            ? DateTimeOffset.FromUnixTimeMilliseconds(unixMilliseconds)
            : DateTimeOffset.UtcNow + ProjectionWaitWithoutDeadline;
        // A change committed just before its deadline still gets the usual second to be confirmed.
        if (deadline < DateTimeOffset.UtcNow + ProjectionWait) deadline = DateTimeOffset.UtcNow + ProjectionWait;
        Deadline.Clear();
        for (var attempt = 1; ; attempt++)
        {
            var left = deadline - DateTimeOffset.UtcNow;
            try
            {
                if (left <= TimeSpan.Zero) throw new TimeoutException("no time left");
                await ProjectAsync().WaitAsync(left);
                return;
            }
            catch (SiloUnavailableException e)
            {
                // The partition's silo was declared dead (and is fenced): its next activation loads the change from storage.
                LogProjectionOnDeadSilo(_logger, e, this.GetGrainId());
                return;
            }
            catch (Exception e) when (DateTimeOffset.UtcNow < deadline - TimeSpan.FromMilliseconds(50 * attempt))
            {
                LogProjectionRetry(_logger, e, this.GetGrainId(), attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(50 * Math.Min(attempt, 10)));
            }
            catch (Exception e)
            {
                // Durable but maybe not visible yet: the call in flight applies when it arrives, or the partition reconciles.
                LogProjectionUnconfirmed(_logger, e, this.GetGrainId(), attempt);
                throw new ProjectionPendingException($"The change of {this.GetGrainId()} is durable, but its index partition did not confirm it in time ({e.Message}).");
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The projection serving the reads of {Grain} did not confirm its change before the deadline ({Attempts} attempts); the change is durable, the call fails")]
    private static partial void LogProjectionUnconfirmed(ILogger logger, Exception exception, GrainId grain, int attempts);

    [LoggerMessage(Level = LogLevel.Information, Message = "The projection of the change of {Grain} is on a silo declared dead; its successor loads it from storage")]
    private static partial void LogProjectionOnDeadSilo(ILogger logger, Exception exception, GrainId grain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The projection of the change of {Grain} was not confirmed within {Wait} ms; it applies when it arrives, or its partition reconciles")]
    private static partial void LogProjectionPending(ILogger logger, Exception exception, GrainId grain, double wait);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A state write of {Grain} failed without saying whether it was applied; read back: {Fate}")]
    private static partial void LogResolved(ILogger logger, Exception exception, GrainId grain, WriteFate fate);

    [LoggerMessage(Level = LogLevel.Error, Message = "A state write of {Grain} failed without saying whether it was applied, and reading it back failed too ({ReadError}); retrying the read in the background")]
    private static partial void LogUnknown(ILogger logger, Exception exception, GrainId grain, string readError);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading back the state of {Grain} failed again ({ReadError})")]
    private static partial void LogStillUnknown(ILogger logger, GrainId grain, string readError);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Read back the state of {Grain} after a write of unknown fate; applying it to its projection")]
    private static partial void LogReadBackLater(ILogger logger, GrainId grain);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The projection did not take the change of {Grain} (attempt {Attempt}); retrying")]
    private static partial void LogProjectionRetry(ILogger logger, Exception exception, GrainId grain, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "The projection did not take the change of {Grain}; it reconciles from storage")]
    private static partial void LogProjectionFailed(ILogger logger, Exception exception, GrainId grain);
}
