using System.Text;

namespace InMemoryDb.Grains.Streaming;

/// <summary>
/// Unicode composition (NFC) of Latin letters with combining accents, which the service does itself: it runs with
/// invariant globalization (no ICU), where <see cref="string.Normalize()"/> leaves non-ASCII text as it is. Covers the
/// letters of Latin-1 and Latin Extended-A (Portuguese, Spanish, French and most European languages): a letter
/// followed by one of 13 combining marks becomes its precomposed form; anything else is kept as given.
/// </summary>
public static class LatinText
{
    // Per combining mark: the base letters and, at the same index, their precomposed forms (generated from UnicodeData).
    private static readonly (char Mark, string Bases, string Composed)[] Table =
    [
        ('\u0300', "AEIOUaeiou", "ÀÈÌÒÙàèìòù"),
        ('\u0301', "AEIOUYaeiouyCcLlNnRrSsZz", "ÁÉÍÓÚÝáéíóúýĆćĹĺŃńŔŕŚśŹź"),
        ('\u0302', "AEIOUaeiouCcGgHhJjSsWwYy", "ÂÊÎÔÛâêîôûĈĉĜĝĤĥĴĵŜŝŴŵŶŷ"),
        ('\u0303', "ANOanoIiUu", "ÃÑÕãñõĨĩŨũ"),
        ('\u0304', "AaEeIiOoUu", "ĀāĒēĪīŌōŪū"),
        ('\u0306', "AaEeGgIiOoUu", "ĂăĔĕĞğĬĭŎŏŬŭ"),
        ('\u0307', "CcEeGgIZz", "ĊċĖėĠġİŻż"),
        ('\u0308', "AEIOUaeiouyY", "ÄËÏÖÜäëïöüÿŸ"),
        ('\u030A', "AaUu", "ÅåŮů"),
        ('\u030B', "OoUu", "ŐőŰű"),
        ('\u030C', "CcDdEeLlNnRrSsTtZz", "ČčĎďĚěĽľŇňŘřŠšŤťŽž"),
        ('\u0327', "CcGgKkLlNnRrSsTt", "ÇçĢģĶķĻļŅņŖŗŞşŢţ"),
        ('\u0328', "AaEeIiUu", "ĄąĘęĮįŲų"),
    ];

    private static readonly Dictionary<(char, char), char> Compose = [];
    private static readonly Dictionary<char, char> Bases = [];

    static LatinText()
    {
        foreach (var (mark, letters, composed) in Table)
        {
            for (var i = 0; i < letters.Length; i++)
            {
                Compose[(letters[i], mark)] = composed[i];
                Bases[composed[i]] = letters[i];
            }
        }
    }

    /// <summary>The text with every covered letter + combining mark composed (NFC for the covered letters).</summary>
    public static string Nfc(string text)
    {
        if (text.AsSpan().IndexOfAnyInRange('\u0300', '\u036F') < 0) return text;
        var result = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (result.Length > 0 && Compose.TryGetValue((result[^1], c), out var composed)) result[^1] = composed;
            else result.Append(c);
        }
        return result.ToString();
    }

    /// <summary>The unaccented letter of a covered accented letter (<c>á</c> → <c>a</c>), else the character itself.</summary>
    public static char Unaccented(char c) => Bases.TryGetValue(c, out var letter) ? letter : c;
}
