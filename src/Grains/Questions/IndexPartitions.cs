namespace InMemoryDb.Grains.Questions;

/// <summary>Which index partition an entity belongs to: <c>{scope}/{Partitioning.Of(id)}</c> for the key <c>{scope}/{id}</c>.</summary>
public static class IndexPartitions
{
    /// <summary>The partition key of the entity with grain key <paramref name="entityKey"/>.</summary>
    public static string Of(string entityKey)
    {
        var slash = entityKey.IndexOf('/');
        return string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{entityKey[..slash]}/{Partitioning.Of(entityKey[(slash + 1)..])}");
    }

    /// <summary>The keys of every partition of <paramref name="scope"/>.</summary>
    public static IEnumerable<string> All(string scope)
        => Enumerable.Range(0, Partitioning.Count).Select(p => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{scope}/{p}"));
}
