namespace InMemoryDb.Pessoas;

/// <summary>A stored person, as <c>GET /pessoas/{id}</c> returns it.</summary>
/// <param name="Id">The person's UUID (lowercase, with hyphens).</param>
/// <param name="Apelido">Nickname, unique among people.</param>
/// <param name="Nome">Name.</param>
/// <param name="Nascimento">Birth date, <c>AAAA-MM-DD</c>.</param>
/// <param name="Stack">Technologies, or null when none were given.</param>
[GenerateSerializer, Immutable, Alias("inmemorydb.pessoa")]
public sealed record Pessoa(
    [property: Id(0)] string Id,
    [property: Id(1)] string Apelido,
    [property: Id(2)] string Nome,
    [property: Id(3)] string Nascimento,
    [property: Id(4)] string[]? Stack);
