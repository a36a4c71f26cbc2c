using System.Diagnostics;
using InMemoryDb.Grains.Events;
using InMemoryDb.Grains.Persistence;
using InMemoryDb.Pessoas;

namespace InMemoryDb.Grains.Pessoas;

/// <summary>
/// One in-memory partition of people: the index search and count read. Person grains add each person here
/// before they acknowledge its creation, so the count is exact. On activation the partition reloads its people
/// straight from grain storage (the source of truth) and logs any stored creation event missing from the event
/// log, so a restart loses neither index entries nor events. After a silo dies it reconciles the same way (a
/// person grain on the dead silo may have written itself and died before telling its partition).
/// </summary>
[KeepAlive]
public sealed partial class PessoaIndexGrain(
    IGrainStateScanner scanner,
    IEventLogStore eventLog,
    ILogger<PessoaIndexGrain> logger) : Grain, IPessoaIndexGrain
{
    private readonly PessoaSearchIndex _index = new();
    private readonly HashSet<string> _recoveredAfter = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var partition = (int)this.GetPrimaryKeyLong();
        var watch = Stopwatch.StartNew();
        var prefix = PessoaKeys.Scope.Length + 1;
        var stored = new List<EventEnvelope>();
        await foreach (var (key, state) in scanner.ScanAsync<PessoaState>(PessoaGrain.StateName, PessoaKeys.Scope, partition, cancellationToken))
        {
            if (PessoaGrain.ToPessoa(key[prefix..], state) is { } pessoa) _index.Add(pessoa);
            stored.AddRange(state.Outbox);
        }

        var recovered = await OutboxRecovery.LogMissingAsync(eventLog, stored, cancellationToken);
        if (recovered > 0) LogRecoveredEvents(logger, recovered, partition);
        LogRebuilt(logger, partition, _index.Count, watch.ElapsedMilliseconds);
    }

    /// <inheritdoc />
    public Task AddAsync(Pessoa pessoa)
    {
        _index.Add(pessoa);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<int> CountAsync() => Task.FromResult(_index.Count);

    /// <inheritdoc />
    public async Task ReconcileAsync(string deadSilo)
    {
        if (!_recoveredAfter.Add(deadSilo)) return;
        var partition = (int)this.GetPrimaryKeyLong();
        var prefix = PessoaKeys.Scope.Length + 1;
        var stored = new List<EventEnvelope>();
        await foreach (var (key, state) in scanner.ScanAsync<PessoaState>(PessoaGrain.StateName, PessoaKeys.Scope, partition))
        {
            if (PessoaGrain.ToPessoa(key[prefix..], state) is { } pessoa) _index.Add(pessoa);
            stored.AddRange(state.Outbox);
        }
        var recovered = await OutboxRecovery.LogMissingAsync(eventLog, stored, CancellationToken.None);
        if (recovered > 0) LogRecoveredEvents(logger, recovered, partition);
    }

    /// <inheritdoc />
    public Task<Pessoa[]> SearchAsync(string loweredTerm, int limit) => Task.FromResult(_index.Search(loweredTerm, limit).ToArray());

    [LoggerMessage(Level = LogLevel.Debug, Message = "People partition {Partition} loaded {Count} people from storage in {Elapsed} ms")]
    private static partial void LogRebuilt(ILogger logger, int partition, int count, long elapsed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Logged {Count} events that people partition {Partition} found in stored outboxes and not yet in the event log")]
    private static partial void LogRecoveredEvents(ILogger logger, int count, int partition);
}
