using System.Globalization;
using System.Text;
using InMemoryDb.Pessoas;

namespace InMemoryDb.Grains.Pessoas;

/// <summary>
/// The contest's rules for a new person (Rinha de Backend 2023 Q3). Lengths count characters (Unicode code
/// points, as PostgreSQL's <c>varchar(n)</c> does). JSON types are not checked here: a <see cref="NovaPessoa"/>
/// already holds strings.
/// </summary>
public static class PessoaRules
{
    /// <summary>The longest apelido.</summary>
    public const int MaxApelido = 32;

    /// <summary>The longest nome.</summary>
    public const int MaxNome = 100;

    /// <summary>The longest stack element.</summary>
    public const int MaxStackItem = 32;

    /// <summary>The broken rules by field, or null when <paramref name="pessoa"/> is valid.</summary>
    public static Dictionary<string, string[]>? Validate(NovaPessoa pessoa)
    {
        Dictionary<string, string[]>? errors = null;
        void Add(string field, string message) => (errors ??= [])[field] = [message];

        if (CheckText(pessoa.Apelido, MaxApelido) is { } apelido) Add("apelido", apelido);
        if (CheckText(pessoa.Nome, MaxNome) is { } nome) Add("nome", nome);
        if (pessoa.Nascimento is null) Add("nascimento", "is required");
        else if (!IsDate(pessoa.Nascimento)) Add("nascimento", "must be a real calendar date written AAAA-MM-DD");
        if (pessoa.Stack is { } stack)
        {
            for (var i = 0; i < stack.Length; i++)
            {
                if (stack[i] is null || Characters(stack[i]) is < 1 or > MaxStackItem)
                {
                    Add("stack", $"every element must be a string of 1 to {MaxStackItem} characters (element {i} is not)");
                    break;
                }
                if (InputLimits.CheckText(stack[i]) is { } problem)
                {
                    Add("stack", $"element {i} {problem}");
                    break;
                }
            }
        }
        return errors;
    }

    /// <summary>True for <c>AAAA-MM-DD</c> naming a day that exists (years 0001–9999).</summary>
    public static bool IsDate(string text)
        => text.Length == 10 && text[4] == '-' && text[7] == '-'
           && IsDigits(text.AsSpan(0, 4)) && IsDigits(text.AsSpan(5, 2)) && IsDigits(text.AsSpan(8, 2))
           && DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _);

    /// <summary>The number of characters (code points) of <paramref name="text"/>.</summary>
    public static int Characters(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes()) count++;
        return count;
    }

    private static string? CheckText(string? text, int max)
    {
        if (text is null) return "is required";
        if (text.Length == 0) return "must not be empty";
        // A string of at most max UTF-16 units has at most max characters: count only longer ones.
        if (text.Length > max && Characters(text) > max) return $"must be at most {max} characters";
        return InputLimits.CheckText(text);
    }

    private static bool IsDigits(ReadOnlySpan<char> span)
    {
        foreach (var c in span)
        {
            if (c is < '0' or > '9') return false;
        }
        return true;
    }
}
