namespace InMemoryDb.Pessoas;

/// <summary>
/// One person, keyed <c>pessoas/{id}</c>. A person's id is derived from its apelido, so this grain is also the one
/// place that decides whether the apelido is taken. Create people through <see cref="IPessoasGrain"/>, which
/// picks the grain.
/// </summary>
public interface IPessoaGrain : IGrainWithStringKey
{
    /// <summary>
    /// Validates and stores the person (one durable write), indexes it, then returns it (<see cref="OutcomeKind.Created"/>);
    /// <see cref="OutcomeKind.Invalid"/> when a field breaks a rule or the apelido is taken.
    /// </summary>
    Task<Outcome<Pessoa>> CreateAsync(NovaPessoa pessoa);

    /// <summary>The person, or null when none was created under this key.</summary>
    Task<Pessoa?> GetAsync();
}
