using InMemoryDb.Grains.Persistence;
using InMemoryDb.Pessoas;

namespace InMemoryDb.Grains.Pessoas;

/// <summary>
/// One in-memory partition of people (keyed by its number): the index search and count read. Person grains add each
/// person here before they acknowledge its creation, so the count is exact. Rebuild on activation and reconciling after
/// a silo died: <see cref="ProjectionPartitionGrain{TState, TItem}"/>. A person never changes once created, so it has
/// no version: the partition holds it or not, and indexing it again does nothing.
/// </summary>
[KeepAlive]
public sealed class PessoaIndexGrain(IGrainStateScanner scanner, ILogger<PessoaIndexGrain> logger)
    : ProjectionPartitionGrain<PessoaState, Pessoa>(scanner, logger), IPessoaIndexGrain
{
    private readonly PessoaSearchIndex _index = new();

    /// <inheritdoc />
    protected override string Scope => PessoaKeys.Scope;

    /// <inheritdoc />
    protected override string StateName => PessoaGrain.StateName;

    /// <inheritdoc />
    protected override bool Versioned => false;

    /// <inheritdoc />
    protected override int Count => _index.Count;

    /// <inheritdoc />
    protected override Stored? FromStored(string grainKey, PessoaState state)
        => PessoaGrain.ToPessoa(IdOf(grainKey), state) is { } pessoa ? new Stored(pessoa.Id, 0, pessoa) : null;

    /// <inheritdoc />
    protected override void Set(string id, Pessoa? pessoa)
    {
        if (pessoa is not null) _index.Add(pessoa);
    }

    /// <inheritdoc />
    public Task AddAsync(Pessoa pessoa) => ApplyAsync(pessoa.Id, 0, pessoa);

    /// <inheritdoc />
    public Task<Pessoa[]> SearchAsync(string loweredTerm, int limit) => Task.FromResult(_index.Search(loweredTerm, limit).ToArray());
}
