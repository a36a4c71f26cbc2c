namespace InMemoryDb.Grains.Pessoas;

/// <summary>The persisted state of a <see cref="PessoaGrain"/> (a row exists only once the person was created).</summary>
public sealed class PessoaState : Persistence.EntityState
{
    /// <summary>Nickname (unique: the grain key derives from it).</summary>
    public string? Apelido { get; set; }

    /// <summary>Name.</summary>
    public string? Nome { get; set; }

    /// <summary>Birth date, <c>AAAA-MM-DD</c>.</summary>
    public string? Nascimento { get; set; }

    /// <summary>Technologies, or null.</summary>
    public string[]? Stack { get; set; }

    /// <summary>When the person was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }
}
