using System.Text.RegularExpressions;

namespace InMemoryDb.Tables;

/// <summary>Rules for table names, record ids and record grain keys.</summary>
public static partial class TableNames
{
    /// <summary>The longest record id accepted.</summary>
    public const int MaxIdLength = 200;

    /// <summary>The built-in users table.</summary>
    public const string Users = "users";

    /// <summary>The built-in orders table.</summary>
    public const string Orders = "orders";

    /// <summary>True when <paramref name="table"/> matches <c>[a-z][a-z0-9_]{0,62}</c> (the whole name: no trailing newline slips through).</summary>
    public static bool IsValid(string? table) => table is not null && TablePattern().IsMatch(table);

    /// <summary>Null when <paramref name="id"/> is acceptable as a record id, otherwise why not.</summary>
    public static string? CheckId(string? id)
    {
        if (string.IsNullOrEmpty(id)) return "The id must be a non-empty string.";
        if (id.Length > MaxIdLength) return $"The id must be at most {MaxIdLength} characters.";
        foreach (var c in id)
        {
            if (char.IsControl(c) || c == '/') return "The id must not contain '/' or control characters.";
        }
        return InputLimits.CheckText(id) is { } problem ? $"The id {problem}." : null;
    }

    /// <summary>The key of the <see cref="IRecordGrain"/> holding record <paramref name="id"/> of <paramref name="table"/>.</summary>
    public static string RecordKey(string table, string id) => $"{table}/{id}";

    /// <summary>Splits a record grain key into its table and id.</summary>
    public static (string Table, string Id) ParseRecordKey(string key)
    {
        var slash = key.IndexOf('/');
        return slash <= 0 ? throw new FormatException($"'{key}' is not a record key.") : (key[..slash], key[(slash + 1)..]);
    }

    [GeneratedRegex(@"\A[a-z][a-z0-9_]{0,62}\z", RegexOptions.CultureInvariant)]
    private static partial Regex TablePattern();
}
