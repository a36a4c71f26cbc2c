using InMemoryDb.Questions;

namespace InMemoryDb.Grains.Questions;

/// <summary>The order of attempt listings: by usuario (ordinal), then question id, then attempt number.</summary>
public sealed class AnswerOrder : IComparer<AnswerSnapshot>
{
    /// <summary>The comparer.</summary>
    public static AnswerOrder Instance { get; } = new();

    /// <inheritdoc />
    public int Compare(AnswerSnapshot? x, AnswerSnapshot? y)
    {
        if (ReferenceEquals(x, y)) return 0;
        if (x is null) return -1;
        if (y is null) return 1;
        var byUser = string.CompareOrdinal(x.Usuario, y.Usuario);
        if (byUser != 0) return byUser;
        var byQuestion = x.QuestionId.CompareTo(y.QuestionId);
        return byQuestion != 0 ? byQuestion : x.NroTentativa.CompareTo(y.NroTentativa);
    }
}
