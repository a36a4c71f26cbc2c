using InMemoryDb.Pessoas;

namespace InMemoryDb.Grains.Pessoas;

/// <summary>
/// An in-memory trigram index of people for case-insensitive substring search over apelido, nome and stack.
/// Each person's searchable text is lowercased once; every distinct trigram (three consecutive characters
/// inside one field) maps to the ascending list of people containing it. A term of three or more characters
/// looks up each of its trigrams: one missing trigram means no match at all; otherwise only the people of the
/// rarest trigram are checked against the whole term, until enough match. Shorter terms are checked person by
/// person, which stops as soon as enough match (short terms match many people). Not thread-safe: one grain owns it.
/// </summary>
public sealed class PessoaSearchIndex
{
    /// <summary>Separates fields in the searchable text; a term containing it matches nothing.</summary>
    private const char Separator = '\0';

    private readonly List<Pessoa> _people = [];
    private readonly List<string> _texts = [];
    private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<long, List<int>> _postings = [];
    private readonly HashSet<long> _scratch = [];

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

        _scratch.Clear();
        for (var i = 0; i + 3 <= text.Length; i++)
        {
            var (a, b, c) = (text[i], text[i + 1], text[i + 2]);
            if (a == Separator || b == Separator || c == Separator) continue;
            _scratch.Add(Trigram(a, b, c));
        }
        foreach (var gram in _scratch)
        {
            if (!_postings.TryGetValue(gram, out var list)) _postings[gram] = list = new List<int>(4);
            list.Add(slot);
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
            if (!_postings.TryGetValue(Trigram(loweredTerm[i], loweredTerm[i + 1], loweredTerm[i + 2]), out var list)) return found;
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
    public static string Normalize(string text) => text.ToLowerInvariant();

    private static string SearchText(Pessoa pessoa)
    {
        var stack = pessoa.Stack ?? [];
        var length = pessoa.Apelido.Length + 1 + pessoa.Nome.Length + stack.Sum(s => s.Length + 1);
        return Normalize(string.Create(length, pessoa, static (span, p) =>
        {
            var at = 0;
            void Append(Span<char> target, string value)
            {
                value.AsSpan().CopyTo(target[at..]);
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
        }));
    }

    private static long Trigram(char a, char b, char c) => ((long)a << 32) | ((long)b << 16) | c;
}
