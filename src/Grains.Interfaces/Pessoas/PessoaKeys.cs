using System.Globalization;

namespace InMemoryDb.Pessoas;

/// <summary>How people are named: grain keys <c>pessoas/{id}</c>, ids are UUIDs in their canonical text form.</summary>
public static class PessoaKeys
{
    /// <summary>The key scope of people (the text before the '/' of every person grain key).</summary>
    public const string Scope = "pessoas";

    /// <summary>The most people a search returns.</summary>
    public const int MaxSearchResults = 50;

    /// <summary>The grain key of the person with <paramref name="id"/>.</summary>
    public static string Of(Guid id) => Scope + "/" + Format(id);

    /// <summary>The canonical text of an id: lowercase, with hyphens (<c>D</c> format).</summary>
    public static string Format(Guid id) => id.ToString("D", CultureInfo.InvariantCulture);

    /// <summary>Reads an id given in a URL; false when it is not a UUID.</summary>
    public static bool TryParseId(string? text, out Guid id) => Guid.TryParse(text, out id);
}
