using System.Diagnostics;
using Npgsql;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace InMemoryDb.Grains.Fencing;

/// <summary>
/// Whether this silo may still serve grain calls and commit writes: it may while it holds a lease on its cluster
/// membership, shorter than the time the other silos need to declare it dead (docs/decisions/fencing-and-deadlines.md).
/// </summary>
public interface ISiloLease
{
    /// <summary>True while the lease runs (a clock read: cheap enough for every call).</summary>
    bool IsHeld { get; }

    /// <summary>The end of the lease in the PostgreSQL server's clock, for the write fence; null: writes are not fenced.</summary>
    DateTime? PostgresValidUntil { get; }

    /// <summary>Confirms the membership now (one confirmation at a time, shared); throws <see cref="SiloFencedException"/> when it cannot.</summary>
    Task ConfirmAsync(bool beforeCall);
}

/// <summary>The lease of a silo alone (localhost clustering): nobody can declare it dead, so it always holds.</summary>
public sealed class SoleSiloLease : ISiloLease
{
    /// <summary>The one instance.</summary>
    public static readonly SoleSiloLease Instance = new();

    /// <inheritdoc />
    public bool IsHeld => true;

    /// <inheritdoc />
    public DateTime? PostgresValidUntil => null;

    /// <inheritdoc />
    public Task ConfirmAsync(bool beforeCall) => Task.CompletedTask;
}

/// <summary>Settings of the membership lease (<c>InMemoryDb:Fencing</c>).</summary>
public sealed class LeaseOptions
{
    /// <summary>How long a confirmation lasts; null: two thirds of the shortest time the cluster can take to declare a silo dead.</summary>
    public TimeSpan? Lease { get; set; }

    /// <summary>How often the lease is confirmed; null: a quarter of the lease.</summary>
    public TimeSpan? RenewPeriod { get; set; }

    /// <summary>
    /// The shortest time from a silo's stop to its death declaration, by the probe settings: the probes a peer must
    /// miss in a row (<see cref="ClusterMembershipOptions.NumMissedProbesLimit"/>), each waiting at least
    /// <see cref="ClusterMembershipOptions.MinProbeTimeout"/>.
    /// </summary>
    public static TimeSpan ShortestDeathDeclaration(ClusterMembershipOptions membership)
        => membership.MinProbeTimeout * membership.NumMissedProbesLimit;

    /// <summary>The lease and renew period to use, or an error naming the setting when the lease would outlast a death declaration.</summary>
    public (TimeSpan Lease, TimeSpan Renew) Resolve(ClusterMembershipOptions membership)
    {
        var shortest = ShortestDeathDeclaration(membership);
        var lease = Lease ?? shortest * 2 / 3;
        var renew = RenewPeriod ?? lease / 4;
        if (lease >= shortest || lease <= TimeSpan.Zero)
        {
            throw new InvalidOperationException(
                $"InMemoryDb:Fencing:Lease ({lease}) must be positive and shorter than the shortest death declaration, {shortest} " +
                $"(Orleans:Membership:NumMissedProbesLimit {membership.NumMissedProbesLimit} × MinProbeTimeout {membership.MinProbeTimeout}).");
        }
        if (renew <= TimeSpan.Zero || renew * 2 > lease)
        {
            throw new InvalidOperationException($"InMemoryDb:Fencing:RenewPeriod ({renew}) must be positive and at most half the lease ({lease}).");
        }
        return (lease, renew);
    }
}

/// <summary>
/// The lease of a silo in a cluster. Every renew period it takes the time on its own monotonic clock and on the
/// PostgreSQL server's clock, then reads its own row of the membership table: when the row says it is a live member,
/// the lease runs until both clocks are a lease later than the times taken, which were taken before the row was
/// asked for. A silo that stopped (paused, frozen, starved) cannot be declared dead sooner than the probes it must miss
/// take, which is longer than the lease: by then its lease has ended on both clocks, so whatever it still had queued
/// waits for a confirmation (and finds it dead), and any write it still sends is refused by the database.
/// </summary>
public sealed partial class MembershipLease : ISiloLease, ILifecycleParticipant<ISiloLifecycle>, IDisposable
{
    private readonly IMembershipTable _table;
    private readonly ILocalSiloDetails _silo;
    private readonly NpgsqlDataSource _postgres;
    private readonly ILogger _logger;
    private readonly long _leaseTicks;
    private readonly TimeSpan _lease;
    private readonly TimeSpan _renew;
    private readonly CancellationTokenSource _stopping = new();
    private readonly object _gate = new();
    private Task? _confirming;
    private Task? _loop;
    private long _localValidUntil = long.MaxValue;
    private DateTime? _postgresValidUntil;
    private volatile string? _dead;
    private bool _lapsedLogged;

    /// <summary>Creates the lease; it starts confirming once the silo is active.</summary>
    public MembershipLease(IMembershipTable table, ILocalSiloDetails silo, NpgsqlDataSource postgres, IOptions<ClusterMembershipOptions> membership,
        IOptions<LeaseOptions> options, ILogger<MembershipLease> logger)
    {
        _table = table;
        _silo = silo;
        _postgres = postgres;
        _logger = logger;
        (_lease, _renew) = options.Value.Resolve(membership.Value);
        _leaseTicks = (long)(_lease.TotalSeconds * Stopwatch.Frequency);
    }

    /// <inheritdoc />
    public bool IsHeld => _dead is null && Stopwatch.GetTimestamp() < Volatile.Read(ref _localValidUntil);

    /// <inheritdoc />
    public DateTime? PostgresValidUntil
    {
        get
        {
            lock (_gate) return _postgresValidUntil;
        }
    }

    /// <inheritdoc />
    public async Task ConfirmAsync(bool beforeCall)
    {
        if (_dead is not null) throw Fenced(beforeCall);
        Task confirming;
        lock (_gate) confirming = _confirming ??= ConfirmOnceAsync();
        try
        {
            await confirming;
        }
        finally
        {
            lock (_gate)
            {
                if (ReferenceEquals(_confirming, confirming)) _confirming = null;
            }
        }
        if (!IsHeld) throw Fenced(beforeCall);
    }

    private SiloFencedException Fenced(bool beforeCall) => new(
        $"Silo {_silo.SiloAddress} could not confirm its cluster membership within its lease ({_dead ?? "membership or PostgreSQL did not answer"}): it serves no call.",
        beforeCall);

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle)
        => lifecycle.Subscribe(nameof(MembershipLease), ServiceLifecycleStage.BecomeActive + 1, _ =>
        {
            _loop = Task.Run(RenewAsync);
            return Task.CompletedTask;
        }, async _ =>
        {
            await _stopping.CancelAsync();
            if (_loop is not null) await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        });

    /// <inheritdoc />
    public void Dispose() => _stopping.Dispose();

    private async Task RenewAsync()
    {
        LogStarted(_logger, _lease.TotalSeconds, _renew.TotalSeconds);
        while (!_stopping.IsCancellationRequested && _dead is null)
        {
            try
            {
                await ConfirmAsync(beforeCall: false);
                _lapsedLogged = false;
            }
            catch (SiloFencedException e) when (!_lapsedLogged)
            {
                _lapsedLogged = true;
                LogLapsed(_logger, e.Message);
            }
            catch (SiloFencedException)
            {
                // Logged once per lapse.
            }
            try
            {
                await Task.Delay(_renew, _stopping.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ConfirmOnceAsync()
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
            timeout.CancelAfter(_lease);
            var started = Stopwatch.GetTimestamp();
            DateTime serverNow;
            await using (var command = _postgres.CreateCommand("SELECT clock_timestamp()"))
            {
                serverNow = (DateTime)(await command.ExecuteScalarAsync(timeout.Token))!;
            }
            var row = await _table.ReadRowAsync(_silo.SiloAddress, timeout.Token).WaitAsync(timeout.Token);
            var entry = row.Members.Select(m => m.Item1).FirstOrDefault(m => m.SiloAddress.Equals(_silo.SiloAddress));
            if (entry is null || entry.Status == SiloStatus.Dead)
            {
                if (_dead is null)
                {
                    _dead = entry is null ? "its membership row is gone" : "the cluster declared it dead";
                    LogDead(_logger, _silo.SiloAddress, _dead);
                }
                return;
            }
            lock (_gate)
            {
                Volatile.Write(ref _localValidUntil, started + _leaseTicks);
                _postgresValidUntil = DateTime.SpecifyKind(serverNow, DateTimeKind.Utc) + _lease;
            }
            LogConfirmed(_logger, entry.Status, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            LogConfirmFailed(_logger, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Membership lease: {Lease:0.###} s, confirmed every {Renew:0.###} s; a silo that cannot confirm it serves no call and commits no write")]
    private static partial void LogStarted(ILogger logger, double lease, double renew);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Membership lease confirmed ({Status}) in {Elapsed:0.#} ms")]
    private static partial void LogConfirmed(ILogger logger, SiloStatus status, double elapsed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Membership lease lapsed: {Reason}")]
    private static partial void LogLapsed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Confirming the membership lease failed: {Reason}")]
    private static partial void LogConfirmFailed(ILogger logger, string reason);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Silo {Silo} is fenced for good: {Reason}; it serves no call and commits no write")]
    private static partial void LogDead(ILogger logger, SiloAddress silo, string reason);
}
