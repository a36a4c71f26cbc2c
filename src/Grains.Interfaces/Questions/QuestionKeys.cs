using System.Globalization;

namespace InMemoryDb.Questions;

/// <summary>
/// Grain keys of seed 000's questions and answer attempts. Keys are <c>{scope}/{id}</c> so index partitions can
/// reload their entities from grain storage: <c>questions/{question_id}</c> and
/// <c>answers/{usuario}/{question_id}/{nro_tentativa}</c> (a usuario never contains '/', see <see cref="CheckUsuario"/>).
/// </summary>
public static class QuestionKeys
{
    /// <summary>The scope of question grains and of their index partitions.</summary>
    public const string Questions = "questions";

    /// <summary>The scope of answer-attempt grains and of their index partitions.</summary>
    public const string Answers = "answers";

    /// <summary>The longest usuario accepted.</summary>
    public const int MaxUsuarioLength = 100;

    /// <summary>The key of the <see cref="IQuestionGrain"/> of question <paramref name="questionId"/>.</summary>
    public static string Question(long questionId) => string.Create(CultureInfo.InvariantCulture, $"{Questions}/{questionId}");

    /// <summary>The key of the <see cref="IAnswerAttemptGrain"/> of one attempt.</summary>
    public static string Answer(string usuario, long questionId, long nroTentativa)
        => string.Create(CultureInfo.InvariantCulture, $"{Answers}/{usuario}/{questionId}/{nroTentativa}");

    /// <summary>Reads the question id of a question grain key.</summary>
    public static long ParseQuestion(string key)
        => key.StartsWith(Questions + "/", StringComparison.Ordinal)
           && long.TryParse(key.AsSpan(Questions.Length + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var id) && id >= 1
            ? id
            : throw new FormatException($"'{key}' is not a question key.");

    /// <summary>Splits an answer grain key into usuario, question id and attempt number.</summary>
    public static (string Usuario, long QuestionId, long NroTentativa) ParseAnswer(string key)
    {
        if (key.StartsWith(Answers + "/", StringComparison.Ordinal))
        {
            var rest = key.AsSpan(Answers.Length + 1);
            var last = rest.LastIndexOf('/');
            if (last > 0)
            {
                var middle = rest[..last].LastIndexOf('/');
                if (middle > 0
                    && long.TryParse(rest[(middle + 1)..last], NumberStyles.None, CultureInfo.InvariantCulture, out var questionId)
                    && long.TryParse(rest[(last + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var attempt))
                {
                    return (rest[..middle].ToString(), questionId, attempt);
                }
            }
        }
        throw new FormatException($"'{key}' is not an answer key.");
    }

    /// <summary>Null when <paramref name="usuario"/> is acceptable, otherwise why not.</summary>
    public static string? CheckUsuario(string? usuario)
    {
        if (string.IsNullOrWhiteSpace(usuario)) return "must be a non-empty string";
        if (usuario.Length > MaxUsuarioLength) return $"must be at most {MaxUsuarioLength} characters";
        foreach (var c in usuario)
        {
            if (c == '/' || char.IsControl(c)) return "must not contain '/' or control characters";
        }
        return InputLimits.CheckText(usuario);
    }
}
