namespace InMemoryDb.Questions;

/// <summary>A stored question.</summary>
/// <param name="QuestionId">The question's id.</param>
/// <param name="QuestionText">The statement.</param>
/// <param name="AlternativaA">Alternative a.</param>
/// <param name="AlternativaB">Alternative b.</param>
/// <param name="AlternativaC">Alternative c.</param>
/// <param name="AlternativaD">Alternative d.</param>
/// <param name="AlternativaCorreta">As submitted, except that a letter is stored lower-case.</param>
/// <param name="Dificuldade">Difficulty.</param>
/// <param name="Assunto">Subject.</param>
/// <param name="CorrectLetter">The right alternative as a letter a–d, decided when the question was created.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="Version">Grows with every change of the question grain (create, delete), across re-creation.</param>
[GenerateSerializer, Immutable, Alias("inmemorydb.question")]
public sealed record QuestionSnapshot(
    [property: Id(0)] long QuestionId,
    [property: Id(1)] string QuestionText,
    [property: Id(2)] string AlternativaA,
    [property: Id(3)] string AlternativaB,
    [property: Id(4)] string AlternativaC,
    [property: Id(5)] string AlternativaD,
    [property: Id(6)] string AlternativaCorreta,
    [property: Id(7)] string Dificuldade,
    [property: Id(8)] string Assunto,
    [property: Id(9)] char CorrectLetter,
    [property: Id(10)] DateTimeOffset CreatedAt,
    [property: Id(11)] long Version);
