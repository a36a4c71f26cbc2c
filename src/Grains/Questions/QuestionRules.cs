using System.Globalization;
using InMemoryDb.Questions;

namespace InMemoryDb.Grains.Questions;

/// <summary>
/// Seed 000's rules for questions and answer attempts, enforced by the grains for every caller.
/// <list type="bullet">
/// <item>Every string field is required and non-blank, with a maximum length (<see cref="MaxLengths"/>).</item>
/// <item><c>alternativa_correta</c> is a letter a–d in any case (stored lower-case), or else the text of exactly one of
/// the four alternatives (compared after trimming, case-sensitively); it is stored as given and resolved to its letter.</item>
/// <item>An attempt is correct when <c>alternativa_escolhida</c>, trimmed, is the right letter in any case or exactly
/// the right alternative's text. A single letter a–d always reads as a letter.</item>
/// </list>
/// </summary>
public static class QuestionRules
{
    /// <summary>The largest question id and attempt number (the largest integer a JSON number holds exactly).</summary>
    public const long MaxNumber = 9_007_199_254_740_991;

    /// <summary>Maximum length of each string field, by its JSON name.</summary>
    public static IReadOnlyDictionary<string, int> MaxLengths { get; } = new Dictionary<string, int>
    {
        ["question_text"] = 2000,
        ["alternativa_a"] = 500,
        ["alternativa_b"] = 500,
        ["alternativa_c"] = 500,
        ["alternativa_d"] = 500,
        ["alternativa_correta"] = 500,
        ["dificuldade"] = 50,
        ["assunto"] = 200,
        ["alternativa_escolhida"] = 500,
        ["datahora"] = 64,
        ["usuario"] = QuestionKeys.MaxUsuarioLength,
    };

    private static readonly string[] DateTimeFormats =
    [
        "yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd'T'HH:mmK", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mm", "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF",
        "yyyy-MM-dd HH:mmK", "yyyy-MM-dd HH:mm:ssK", "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
    ];

    /// <summary>The problems of a question, by field (empty when it is valid), and its right letter when valid.</summary>
    public static (Dictionary<string, string[]> Errors, char Letter) Check(QuestionInput input)
    {
        var errors = new Dictionary<string, string[]>();
        if (input.QuestionId is < 1 or > MaxNumber) errors["question_id"] = [$"must be an integer between 1 and {MaxNumber}"];
        Text(errors, "question_text", input.QuestionText);
        Text(errors, "alternativa_a", input.AlternativaA);
        Text(errors, "alternativa_b", input.AlternativaB);
        Text(errors, "alternativa_c", input.AlternativaC);
        Text(errors, "alternativa_d", input.AlternativaD);
        Text(errors, "alternativa_correta", input.AlternativaCorreta);
        Text(errors, "dificuldade", input.Dificuldade);
        Text(errors, "assunto", input.Assunto);
        if (errors.Keys.Any(k => k.StartsWith("alternativa_", StringComparison.Ordinal))) return (errors, '\0');

        var letter = Letter(input.AlternativaCorreta);
        if (letter == '\0')
        {
            var given = input.AlternativaCorreta.Trim();
            var matches = Alternatives(input).Where(a => a.Text.Trim() == given).Select(a => a.Letter).ToArray();
            if (matches.Length == 1)
            {
                letter = matches[0];
            }
            else
            {
                errors["alternativa_correta"] = [matches.Length == 0
                    ? "must be one of a, b, c, d (any case) or the text of one of the four alternatives"
                    : "matches the text of several alternatives; give its letter (a, b, c or d)"];
            }
        }
        return (errors, errors.Count == 0 ? letter : '\0');
    }

    /// <summary>The problems of an answer attempt, by field (empty when it is valid).</summary>
    public static Dictionary<string, string[]> Check(AnswerInput input)
    {
        var errors = new Dictionary<string, string[]>();
        if (input.QuestionId is < 1 or > MaxNumber) errors["question_id"] = [$"must be an integer between 1 and {MaxNumber}"];
        Text(errors, "alternativa_escolhida", input.AlternativaEscolhida);
        if (Text(errors, "datahora", input.Datahora) && !IsDateTime(input.Datahora))
        {
            errors["datahora"] = ["must be an ISO-8601 date-time, e.g. 2025-05-01T14:30:00Z"];
        }
        if (QuestionKeys.CheckUsuario(input.Usuario) is { } usuarioProblem) errors["usuario"] = [usuarioProblem];
        if (input.NroTentativa is < 1 or > MaxNumber) errors["nro_tentativa"] = [$"must be an integer between 1 and {MaxNumber}"];
        return errors;
    }

    /// <summary>The stored form of a valid <c>alternativa_correta</c>: a letter lower-case, a text as given.</summary>
    public static string StoredCorreta(string alternativaCorreta)
        => Letter(alternativaCorreta) is var letter && letter != '\0' ? letter.ToString() : alternativaCorreta;

    /// <summary>Whether <paramref name="chosen"/> picks the right alternative of <paramref name="question"/>.</summary>
    public static bool IsCorrect(QuestionSnapshot question, string chosen)
    {
        var chosenLetter = Letter(chosen);
        if (chosenLetter != '\0') return chosenLetter == question.CorrectLetter;
        var text = question.CorrectLetter switch
        {
            'a' => question.AlternativaA,
            'b' => question.AlternativaB,
            'c' => question.AlternativaC,
            _ => question.AlternativaD,
        };
        return chosen.Trim() == text.Trim();
    }

    /// <summary>True when <paramref name="value"/> is an ISO-8601 date-time (date and time, optional seconds, fraction and offset).</summary>
    public static bool IsDateTime(string value)
        => DateTimeOffset.TryParseExact(value, DateTimeFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out _);

    /// <summary>The letter a–d that <paramref name="value"/> names (trimmed, any case), or '\0'.</summary>
    private static char Letter(string value)
    {
        var trimmed = value.AsSpan().Trim();
        return trimmed.Length == 1 && char.ToLowerInvariant(trimmed[0]) is var c and >= 'a' and <= 'd' ? c : '\0';
    }

    private static IEnumerable<(char Letter, string Text)> Alternatives(QuestionInput input)
        => [('a', input.AlternativaA), ('b', input.AlternativaB), ('c', input.AlternativaC), ('d', input.AlternativaD)];

    /// <summary>Checks a required string field; true when it is fine.</summary>
    private static bool Text(Dictionary<string, string[]> errors, string field, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            errors[field] = ["must be a non-empty string"];
            return false;
        }
        if (value.Length > MaxLengths[field])
        {
            errors[field] = [$"must be at most {MaxLengths[field]} characters"];
            return false;
        }
        if (InputLimits.CheckText(value) is { } problem)
        {
            errors[field] = [problem];
            return false;
        }
        return true;
    }
}
