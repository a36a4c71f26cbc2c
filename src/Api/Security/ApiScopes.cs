namespace InMemoryDb.Api.Security;

/// <summary>
/// What an API key may do. Scopes are ordered: <see cref="Admin"/> includes <see cref="Write"/>, which includes
/// <see cref="Read"/>. They are also the names of the authorization policies.
/// </summary>
public static class ApiScopes
{
    /// <summary>Reads (GET/HEAD of single entities and listings).</summary>
    public const string Read = "read";

    /// <summary>Single-entity writes (POST/PUT/DELETE of one entity), and what read allows.</summary>
    public const string Write = "write";

    /// <summary>Bulk deletes, the event log, metrics and operator pages, and what write allows.</summary>
    public const string Admin = "admin";

    /// <summary>The claim type carrying a caller's scope.</summary>
    public const string ClaimType = "inmemorydb:scope";

    /// <summary>The rank of a scope (read 1, write 2, admin 3), or 0 when it is not one.</summary>
    public static int Rank(string? scope) => scope switch
    {
        Read => 1,
        Write => 2,
        Admin => 3,
        _ => 0,
    };

    /// <summary>The scope a request of <paramref name="method"/> needs unless its endpoint says otherwise.</summary>
    public static string ForMethod(string method)
        => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) ? Read : Write;
}
