using InMemoryDb.Pessoas;

namespace InMemoryDb.Grains.Pessoas;

/// <summary>
/// One of the <see cref="Partitioning.Count"/> in-memory index partitions of people, keyed by partition number
/// (<see cref="Partitioning.Of"/> of the person's id). Holds its people and their trigram index; rebuilt from
/// grain storage on activation.
/// </summary>
public interface IPessoaIndexGrain : IGrainWithIntegerKey
{
    /// <summary>Indexes a stored person (idempotent).</summary>
    Task AddAsync(Pessoa pessoa);

    /// <summary>The number of people in this partition.</summary>
    [ReadOnly]
    Task<int> CountAsync();

    /// <summary>Up to <paramref name="limit"/> people matching <paramref name="loweredTerm"/> (see <see cref="PessoaSearchIndex.Search"/>).</summary>
    [ReadOnly]
    Task<Pessoa[]> SearchAsync(string loweredTerm, int limit);

    /// <summary>
    /// After silo <paramref name="deadSilo"/> died (once per dead silo): indexes every stored person it lacks (a person
    /// grain on the dead silo may have written itself and died before telling the partition). Its events need nothing:
    /// they were logged with the state.
    /// </summary>
    Task ReconcileAsync(string deadSilo);
}
