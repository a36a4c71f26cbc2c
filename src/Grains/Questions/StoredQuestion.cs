using InMemoryDb.Questions;

namespace InMemoryDb.Grains.Questions;

/// <summary>A question's fields as stored (snake_case JSON in grain storage).</summary>
public sealed class StoredQuestion
{
    /// <summary>The id.</summary>
    public long QuestionId { get; set; }

    /// <summary>The statement.</summary>
    public string QuestionText { get; set; } = "";

    /// <summary>Alternative a.</summary>
    public string AlternativaA { get; set; } = "";

    /// <summary>Alternative b.</summary>
    public string AlternativaB { get; set; } = "";

    /// <summary>Alternative c.</summary>
    public string AlternativaC { get; set; } = "";

    /// <summary>Alternative d.</summary>
    public string AlternativaD { get; set; } = "";

    /// <summary>The right alternative as stored (a letter lower-case, or a text).</summary>
    public string AlternativaCorreta { get; set; } = "";

    /// <summary>Difficulty.</summary>
    public string Dificuldade { get; set; } = "";

    /// <summary>Subject.</summary>
    public string Assunto { get; set; } = "";

    /// <summary>The right alternative's letter, a–d.</summary>
    public string CorrectLetter { get; set; } = "";

    /// <summary>When it was created.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>The snapshot of this question at <paramref name="version"/>.</summary>
    public QuestionSnapshot ToSnapshot(long version) => new(
        QuestionId, QuestionText, AlternativaA, AlternativaB, AlternativaC, AlternativaD, AlternativaCorreta, Dificuldade, Assunto,
        CorrectLetter.Length == 1 ? CorrectLetter[0] : 'a', CreatedAt, version);
}
