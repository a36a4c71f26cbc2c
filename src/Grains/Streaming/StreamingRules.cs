using System.Globalization;
using System.Text;
using InMemoryDb.Streaming;

namespace InMemoryDb.Grains.Streaming;

/// <summary>
/// The platform's field rules and the values it generates for fields a request leaves out (as the original service
/// invented them). Text is taken in Unicode NFC (<see cref="LatinText"/>), so <c>série</c> typed as <c>e</c> + combining accent is the same value.
/// </summary>
public static class StreamingRules
{
    /// <summary>The longest name, title, category or city.</summary>
    public const int MaxText = 200;

    /// <summary>The longest email address (RFC 5321's path limit).</summary>
    public const int MaxEmail = 254;

    /// <summary>The largest payment (two decimals).</summary>
    public const decimal MaxValor = 1_000_000m;

    /// <summary>The longest time watched in minutes (a week).</summary>
    public const int MaxTempoAssistido = 7 * 24 * 60;

    /// <summary>The longest time to live of a catalogue item (a year).</summary>
    public const int MaxTtlSegundos = 365 * 24 * 3600;

    private static readonly string[] FirstNames = ["Ana", "Bruno", "Carla", "Diego", "Elisa", "Fábio", "Gabriela", "Heitor", "Isabela", "João", "Larissa", "Marcos", "Natália", "Otávio", "Paula", "Rafael", "Sofia", "Tiago", "Valéria", "Yuri"];
    private static readonly string[] LastNames = ["Silva", "Santos", "Oliveira", "Souza", "Lima", "Pereira", "Costa", "Rodrigues", "Almeida", "Nascimento", "Carvalho", "Gomes", "Martins", "Araújo", "Ribeiro"];
    private static readonly string[] Cities = ["São Paulo", "Rio de Janeiro", "Belo Horizonte", "Porto Alegre", "Salvador", "Recife", "Curitiba", "Fortaleza", "Brasília", "Manaus"];
    /// <summary>Categories generated items get.</summary>
    public static readonly string[] Categories = ["Ação", "Comédia", "Drama", "Ficção", "Suspense", "Natureza", "História", "Animação"];
    /// <summary>Words generated titles are made of.</summary>
    public static readonly string[] TitleWords = ["Horizonte", "Sombras", "Jornada", "Segredo", "Oceano", "Cidade", "Fronteira", "Memórias", "Tempestade", "Legado"];

    /// <summary>The text in NFC (<see cref="LatinText"/>), or null.</summary>
    public static string? Nfc(string? text) => text is null ? null : LatinText.Nfc(text);

    /// <summary>The one of <paramref name="allowed"/> that <paramref name="value"/> (NFC) is, or null.</summary>
    public static string? OneOf(string? value, string[] allowed)
    {
        var nfc = Nfc(value);
        foreach (var candidate in allowed)
        {
            if (string.Equals(candidate, nfc, StringComparison.Ordinal)) return candidate;
        }
        return null;
    }

    /// <summary>The message for a value not in <paramref name="allowed"/>.</summary>
    public static string NotOneOf(string[] allowed) => "must be one of " + string.Join(", ", allowed.Select(a => $"'{a}'")) + ".";

    /// <summary>Null when <paramref name="text"/> is acceptable free text of 1–<paramref name="max"/> characters, else why not.</summary>
    public static string? CheckText(string text, int max = MaxText)
    {
        if (string.IsNullOrWhiteSpace(text)) return "must not be empty.";
        if (text.Length > max) return $"must be at most {max} characters.";
        foreach (var c in text)
        {
            if (char.IsControl(c)) return "must not contain control characters.";
        }
        return InputLimits.CheckText(text) is { } problem ? problem : null;
    }

    /// <summary>True for an address of the form <c>local@domain.tld</c> (no spaces, one @, a dot in the domain).</summary>
    public static bool IsEmail(string email)
    {
        if (email.Length > MaxEmail) return false;
        var at = email.IndexOf('@');
        if (at <= 0 || at != email.LastIndexOf('@') || at == email.Length - 1) return false;
        var domain = email.AsSpan(at + 1);
        var dot = domain.LastIndexOf('.');
        if (dot <= 0 || dot == domain.Length - 1 || domain.StartsWith(".") || domain.Contains("..", StringComparison.Ordinal)) return false;
        foreach (var c in email)
        {
            if (c <= ' ' || c == 127 || c is '<' or '>' or '(' or ')' or ',' or ';' or ':' or '\\' or '"' or '[' or ']') return false;
        }
        return true;
    }

    /// <summary>The address as compared for uniqueness: lower-case.</summary>
    public static string NormalizeEmail(string email) => email.ToLowerInvariant();

    /// <summary>The 11 digits of a CPF given with or without its punctuation (<c>123.456.789-09</c>), or null when it is not a valid CPF.</summary>
    public static string? NormalizeCpf(string cpf)
    {
        Span<char> digits = stackalloc char[11];
        var n = 0;
        foreach (var c in cpf)
        {
            if (c is '.' or '-' or ' ') continue;
            if (c is < '0' or > '9' || n == 11) return null;
            digits[n++] = c;
        }
        if (n != 11 || digits.IndexOfAnyExcept(digits[0]) < 0) return null;
        return CheckDigit(digits[..9]) == digits[9] && CheckDigit(digits[..10]) == digits[10] ? new string(digits) : null;
    }

    /// <summary>The next CPF check digit of <paramref name="digits"/> (9 or 10 digits).</summary>
    private static char CheckDigit(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        for (var i = 0; i < digits.Length; i++) sum += (digits[i] - '0') * (digits.Length + 1 - i);
        var rest = sum % 11;
        return (char)('0' + (rest < 2 ? 0 : 11 - rest));
    }

    /// <summary>A random valid CPF (11 digits).</summary>
    public static string NewCpf()
    {
        Span<char> digits = stackalloc char[11];
        do
        {
            for (var i = 0; i < 9; i++) digits[i] = (char)('0' + Random.Shared.Next(10));
        }
        while (digits[..9].IndexOfAnyExcept(digits[0]) < 0);
        digits[9] = CheckDigit(digits[..9]);
        digits[10] = CheckDigit(digits[..10]);
        return new string(digits);
    }

    /// <summary>A random full name.</summary>
    public static string NewNome() => $"{Pick(FirstNames)} {Pick(LastNames)}";

    /// <summary>An address made from the name and the user id (so generated addresses never repeat), with <paramref name="attempt"/> after a clash.</summary>
    public static string NewEmail(string nome, long userId, int attempt)
    {
        var local = new StringBuilder();
        foreach (var c in LatinText.Nfc(nome).ToLowerInvariant())
        {
            var letter = LatinText.Unaccented(c);
            if (letter is >= 'a' and <= 'z') local.Append(letter);
            else if (c == ' ' && local.Length > 0 && local[^1] != '.') local.Append('.');
        }
        local.Append(userId.ToString(CultureInfo.InvariantCulture));
        if (attempt > 0) local.Append('.').Append(Random.Shared.Next(1000, 10000).ToString(CultureInfo.InvariantCulture));
        return local + "@exemplo.com.br";
    }

    /// <summary>A random city.</summary>
    public static string NewCidade() => Pick(Cities);

    /// <summary>A random category.</summary>
    public static string NewCategoria() => Pick(Categories);

    /// <summary>A random title.</summary>
    public static string NewTitulo() => $"{Pick(TitleWords)} {Pick(TitleWords)}";

    /// <summary>A random element.</summary>
    public static T Pick<T>(IReadOnlyList<T> values) => values[Random.Shared.Next(values.Count)];

    /// <summary>A random amount from 19.90 to 49.90 with two decimals.</summary>
    public static decimal NewValor() => Math.Round(19.90m + Random.Shared.Next(0, 3001) / 100m, 2);

    /// <summary>Null when <paramref name="valor"/> is a positive amount of at most two decimals (up to <see cref="MaxValor"/>), else why not.</summary>
    public static string? CheckValor(decimal valor)
    {
        if (valor <= 0) return "must be greater than 0.";
        if (valor > MaxValor) return $"must be at most {MaxValor.ToString(CultureInfo.InvariantCulture)}.";
        return valor.Scale > 2 && decimal.Round(valor, 2) != valor ? "must have at most two decimals." : null;
    }

    /// <summary>Adds <paramref name="message"/> for <paramref name="field"/> to <paramref name="errors"/> (created on first use).</summary>
    public static void Add(ref Dictionary<string, string[]>? errors, string field, string message)
        => (errors ??= new Dictionary<string, string[]>(StringComparer.Ordinal))[field] = [message];
}
