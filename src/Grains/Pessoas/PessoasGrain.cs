using InMemoryDb.Pessoas;

namespace InMemoryDb.Grains.Pessoas;

/// <summary>
/// The front door of people (a stateless worker, so every silo has local copies): validates a new person and
/// sends it to the person grain its apelido names; answers search and count by asking the
/// <see cref="Partitioning.Count"/> index partitions in parallel.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class PessoasGrain : Grain, IPessoasGrain
{
    /// <summary>Terms longer than this cannot be inside any field (the longest, nome, has 100 characters).</summary>
    private const int MaxUsefulTerm = PessoaRules.MaxNome * 2;

    private IPessoaIndexGrain[]? _partitions;

    /// <inheritdoc />
    public Task<Outcome<Pessoa>> CreateAsync(NovaPessoa pessoa)
    {
        if (PessoaRules.Validate(pessoa) is { } errors) return Task.FromResult(Outcome<Pessoa>.Invalid(errors));
        var id = PessoaIds.ForApelido(pessoa.Apelido!);
        return GrainFactory.GetGrain<IPessoaGrain>(PessoaKeys.Of(id)).CreateAsync(pessoa);
    }

    /// <inheritdoc />
    public async Task<Outcome<Pessoa[]>> SearchAsync(string? term)
    {
        if (string.IsNullOrEmpty(term)) return Outcome<Pessoa[]>.BadRequest("The search term t is required and must not be empty.");
        if (term.Length > MaxUsefulTerm) return Outcome<Pessoa[]>.Ok([]);

        var lowered = PessoaSearchIndex.Normalize(term);
        var partitions = Partitions();
        var tasks = new Task<Pessoa[]>[partitions.Length];
        for (var p = 0; p < partitions.Length; p++) tasks[p] = partitions[p].SearchAsync(lowered, PessoaKeys.MaxSearchResults);
        var results = await Task.WhenAll(tasks);

        var total = 0;
        foreach (var part in results) total += part.Length;
        var merged = new Pessoa[Math.Min(total, PessoaKeys.MaxSearchResults)];
        var at = 0;
        foreach (var part in results)
        {
            var take = Math.Min(part.Length, merged.Length - at);
            Array.Copy(part, 0, merged, at, take);
            at += take;
            if (at == merged.Length) break;
        }
        return Outcome<Pessoa[]>.Ok(merged);
    }

    /// <inheritdoc />
    public async Task<long> CountAsync()
    {
        var partitions = Partitions();
        var tasks = new Task<int>[partitions.Length];
        for (var p = 0; p < partitions.Length; p++) tasks[p] = partitions[p].CountAsync();
        long total = 0;
        foreach (var count in await Task.WhenAll(tasks)) total += count;
        return total;
    }

    private IPessoaIndexGrain[] Partitions()
        => _partitions ??= Enumerable.Range(0, Partitioning.Count).Select(p => GrainFactory.GetGrain<IPessoaIndexGrain>(p)).ToArray();
}
