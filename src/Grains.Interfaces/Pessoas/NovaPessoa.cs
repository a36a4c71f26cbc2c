namespace InMemoryDb.Pessoas;

/// <summary>
/// A person as a client asks to create it (<c>POST /pessoas</c>), before validation: a null field was absent
/// or JSON <c>null</c>. The JSON types were already checked by whoever parsed the request.
/// </summary>
/// <param name="Apelido">Nickname: required, 1–32 characters, unique.</param>
/// <param name="Nome">Name: required, 1–100 characters.</param>
/// <param name="Nascimento">Birth date: required, <c>AAAA-MM-DD</c>, a real calendar date.</param>
/// <param name="Stack">Technologies: optional; each 1–32 characters.</param>
[GenerateSerializer, Immutable, Alias("inmemorydb.nova-pessoa")]
public sealed record NovaPessoa(
    [property: Id(0)] string? Apelido,
    [property: Id(1)] string? Nome,
    [property: Id(2)] string? Nascimento,
    [property: Id(3)] string[]? Stack);
