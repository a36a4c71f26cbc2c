using InMemoryDb.Pessoas;

namespace InMemoryDb.Grains.Pessoas;

/// <summary>
/// An in-memory trigram index of people for case-insensitive substring search over apelido, nome and stack.
/// Each person's searchable text is lowercased once; every distinct trigram (three consecutive characters
/// inside one field) maps to the ascending list of people containing it. A term of three or more characters
/// looks up each of its trigrams: one missing trigram means no match at all; otherwise only the people of the
/// rarest trigram are checked against the whole term, until enough match. Trigrams of lowercase ASCII letters,
/// digits and spaces index an array directly; others go through a dictionary. Shorter terms are checked person by
/// person, which stops as soon as enough match (short terms match many people). Not thread-safe: one grain owns it.
/// </summary>
public sealed class PessoaSearchIndex
{
    /// <summary>Separates fields in the searchable text; a term containing it matches nothing.</summary>
    private const char Separator = '\0';

    /// <summary>Characters with a dense code (1–37): most trigrams of real text consist of these only.</summary>
    private const int Alphabet = 38;

    private readonly List<Pessoa> _people = [];
    private readonly List<string> _texts = [];
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);

    /// <summary>Postings of trigrams made of dense characters, indexed directly (no hashing).</summary>
    private readonly List<int>?[] _densePostings = new List<int>?[Alphabet * Alphabet * Alphabet];

    /// <summary>Postings of every other trigram.</summary>
    private readonly Dictionary<long, List<int>> _postings = [];

    /// <summary>The number of people indexed.</summary>
    public int Count => _people.Count;

    /// <summary>Indexes <paramref name="pessoa"/>; false when a person with its id is already indexed (people never change).</summary>
    public bool Add(Pessoa pessoa)
    {
        if (!_ids.Add(pessoa.Id)) return false;
        var slot = _people.Count;
        var text = SearchText(pessoa);
        _people.Add(pessoa);
        _texts.Add(text);

        for (var i = 0; i + 3 <= text.Length; i++)
        {
            var (a, b, c) = (text[i], text[i + 1], text[i + 2]);
            if (a == Separator || b == Separator || c == Separator) continue;
            var list = Postings(a, b, c, create: true)!;
            // Slots grow, so a trigram seen twice in one person ends its list already.
            if (list.Count == 0 || list[^1] != slot) list.Add(slot);
        }
        return true;
    }

    /// <summary>
    /// Up to <paramref name="limit"/> people whose apelido, nome or a stack element contains <paramref name="loweredTerm"/>
    /// (already lowercased with <see cref="Normalize"/>), in the order they were indexed.
    /// </summary>
    public List<Pessoa> Search(string loweredTerm, int limit)
    {
        var found = new List<Pessoa>(Math.Min(limit, 8));
        if (loweredTerm.Length == 0 || limit <= 0 || loweredTerm.Contains(Separator, StringComparison.Ordinal)) return found;

        if (loweredTerm.Length < 3)
        {
            for (var slot = 0; slot < _texts.Count && found.Count < limit; slot++)
            {
                if (_texts[slot].Contains(loweredTerm, StringComparison.Ordinal)) found.Add(_people[slot]);
            }
            return found;
        }

        List<int>? rarest = null;
        for (var i = 0; i + 3 <= loweredTerm.Length; i++)
        {
            if (Postings(loweredTerm[i], loweredTerm[i + 1], loweredTerm[i + 2], create: false) is not { } list) return found;
            if (rarest is null || list.Count < rarest.Count) rarest = list;
        }
        foreach (var slot in rarest!)
        {
            if (_texts[slot].Contains(loweredTerm, StringComparison.Ordinal))
            {
                found.Add(_people[slot]);
                if (found.Count == limit) break;
            }
        }
        return found;
    }

    /// <summary>How search terms and indexed text are compared: lowercased character by character (invariant culture).</summary>
    public static string Normalize(string text) => string.Create(text.Length, text, static (span, t) => Lower(t, span));

    private static void Lower(ReadOnlySpan<char> source, Span<char> target)
    {
        for (var i = 0; i < source.Length; i++) target[i] = char.ToLowerInvariant(source[i]);
    }

    private static string SearchText(Pessoa pessoa)
    {
        var stack = pessoa.Stack ?? [];
        var length = pessoa.Apelido.Length + 1 + pessoa.Nome.Length + stack.Sum(s => s.Length + 1);
        return string.Create(length, pessoa, static (span, p) =>
        {
            var at = 0;
            void Append(Span<char> target, string value)
            {
                Lower(value, target[at..]);
                at += value.Length;
            }
            Append(span, p.Apelido);
            span[at++] = Separator;
            Append(span, p.Nome);
            foreach (var item in p.Stack ?? [])
            {
                span[at++] = Separator;
                Append(span, item);
            }
        });
    }

    private List<int>? Postings(char a, char b, char c, bool create)
    {
        int ca = Code(a), cb = Code(b), cc = Code(c);
        if (ca != 0 && cb != 0 && cc != 0)
        {
            ref var dense = ref _densePostings[(ca * Alphabet + cb) * Alphabet + cc];
            if (dense is null && create) dense = new List<int>(4);
            return dense;
        }
        var key = ((long)a << 32) | ((long)b << 16) | c;
        if (_postings.TryGetValue(key, out var list) || !create) return list;
        _postings[key] = list = new List<int>(4);
        return list;
    }

    /// <summary>1–26 for a–z, 27–36 for 0–9, 37 for a space, 0 for any other character.</summary>
    private static int Code(char c) => c switch
    {
        >= 'a' and <= 'z' => c - 'a' + 1,
        >= '0' and <= '9' => c - '0' + 27,
        ' ' => 37,
        _ => 0,
    };
}
