using InMemoryDb.Questions;

namespace InMemoryDb.Grains.Questions;

/// <summary>An attempt's fields as stored (snake_case JSON in grain storage).</summary>
public sealed class StoredAnswer
{
    /// <summary>The answered question.</summary>
    public long QuestionId { get; set; }

    /// <summary>The chosen alternative, as submitted.</summary>
    public string AlternativaEscolhida { get; set; } = "";

    /// <summary>When the user answered, as submitted.</summary>
    public string Datahora { get; set; } = "";

    /// <summary>The user.</summary>
    public string Usuario { get; set; } = "";

    /// <summary>The attempt number.</summary>
    public long NroTentativa { get; set; }

    /// <summary>Whether it was correct when recorded.</summary>
    public bool IsCorrect { get; set; }

    /// <summary>When the service recorded it.</summary>
    public DateTimeOffset RecordedAt { get; set; }

    /// <summary>The snapshot of this attempt at <paramref name="version"/>.</summary>
    public AnswerSnapshot ToSnapshot(long version)
        => new(QuestionId, AlternativaEscolhida, Datahora, Usuario, NroTentativa, IsCorrect, RecordedAt, version);
}
