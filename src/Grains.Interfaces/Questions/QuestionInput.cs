namespace InMemoryDb.Questions;

/// <summary>A question as a client submits it (seed 000's <c>POST /question</c> body).</summary>
/// <param name="QuestionId">The question's id (≥ 1), chosen by the client.</param>
/// <param name="QuestionText">The statement.</param>
/// <param name="AlternativaA">Alternative a.</param>
/// <param name="AlternativaB">Alternative b.</param>
/// <param name="AlternativaC">Alternative c.</param>
/// <param name="AlternativaD">Alternative d.</param>
/// <param name="AlternativaCorreta">The right alternative: a letter a–d (any case) or the exact text of one alternative.</param>
/// <param name="Dificuldade">Difficulty, free text.</param>
/// <param name="Assunto">Subject, free text.</param>
[GenerateSerializer, Immutable, Alias("inmemorydb.question-input")]
public sealed record QuestionInput(
    [property: Id(0)] long QuestionId,
    [property: Id(1)] string QuestionText,
    [property: Id(2)] string AlternativaA,
    [property: Id(3)] string AlternativaB,
    [property: Id(4)] string AlternativaC,
    [property: Id(5)] string AlternativaD,
    [property: Id(6)] string AlternativaCorreta,
    [property: Id(7)] string Dificuldade,
    [property: Id(8)] string Assunto);
