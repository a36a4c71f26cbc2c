using System.Diagnostics;
using InMemoryDb.Grains.Events;
using InMemoryDb.Grains.Persistence;
using InMemoryDb.Pessoas;

namespace InMemoryDb.Grains.Pessoas;

/// <summary>
/// One in-memory partition of people: the index search and count read. Person grains add each person here
/// before they acknowledge its creation, so the count is exact. On activation the partition reloads its people
/// straight from grain storage (the source of truth), so a restart loses no index entry. After a silo dies it reconciles the same way (a
/// person grain on the dead silo may have written itself and died before telling its partition).
/// </summary>
[KeepAlive]
public sealed partial class PessoaIndexGrain(
    IGrainStateScanner scanner,
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
        await foreach (var (key, state) in scanner.ScanAsync<PessoaState>(PessoaGrain.StateName, PessoaKeys.Scope, partition, cancellationToken))
        {
            if (PessoaGrain.ToPessoa(key[prefix..], state) is { } pessoa) _index.Add(pessoa);
        }
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
        await foreach (var (key, state) in scanner.ScanAsync<PessoaState>(PessoaGrain.StateName, PessoaKeys.Scope, partition))
        {
            if (PessoaGrain.ToPessoa(key[prefix..], state) is { } pessoa) _index.Add(pessoa);
        }
    }

    /// <inheritdoc />
    public Task<Pessoa[]> SearchAsync(string loweredTerm, int limit) => Task.FromResult(_index.Search(loweredTerm, limit).ToArray());

    [LoggerMessage(Level = LogLevel.Debug, Message = "People partition {Partition} loaded {Count} people from storage in {Elapsed} ms")]
    private static partial void LogRebuilt(ILogger logger, int partition, int count, long elapsed);
}
