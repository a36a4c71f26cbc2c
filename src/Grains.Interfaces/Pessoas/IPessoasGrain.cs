namespace InMemoryDb.Pessoas;

/// <summary>
/// The front door of people (a stateless worker, key 0): creates people, and answers search and count from the
/// in-memory index partitions, never by activating person grains.
/// </summary>
public interface IPessoasGrain : IGrainWithIntegerKey
{
    /// <summary>Validates <paramref name="pessoa"/> and creates it in its person grain; <see cref="OutcomeKind.Invalid"/> (422) otherwise.</summary>
    Task<Outcome<Pessoa>> CreateAsync(NovaPessoa pessoa);

    /// <summary>
    /// At most <see cref="PessoaKeys.MaxSearchResults"/> people whose apelido, nome or a stack element contains
    /// <paramref name="term"/>, case-insensitively; <see cref="OutcomeKind.BadRequest"/> when the term is empty.
    /// </summary>
    Task<Outcome<Pessoa[]>> SearchAsync(string? term);

    /// <summary>The exact number of people stored.</summary>
    Task<long> CountAsync();
}
