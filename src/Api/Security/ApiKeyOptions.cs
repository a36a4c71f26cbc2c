using System.Security.Cryptography;
using System.Text;

namespace InMemoryDb.Api.Security;

/// <summary>One configured API key (<c>InMemoryDb:Auth:Keys:{name}</c>).</summary>
public sealed class ApiKeyEntry
{
    /// <summary>The key itself (from the environment or a secret store, never from the repository).</summary>
    public string? Key { get; set; }

    /// <summary>Instead of <see cref="Key"/>: the SHA-256 of the key in hex, so configuration need not hold the key.</summary>
    public string? Sha256 { get; set; }

    /// <summary>read, write or admin.</summary>
    public string? Scope { get; set; }
}

/// <summary>
/// The API keys (configuration section <c>InMemoryDb:Auth</c>). With none, the API is open and listens on loopback
/// only; with any, every route but <c>/health</c> needs a key (docs/operations/security.md).
/// </summary>
public sealed class ApiKeyOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "InMemoryDb:Auth";

    /// <summary>The keys by name (the name appears in logs and rate-limit partitions, the key never does).</summary>
    public Dictionary<string, ApiKeyEntry> Keys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The shortest key accepted.</summary>
    public const int MinKeyLength = 16;

    /// <summary>True when at least one key is configured.</summary>
    public bool Enabled => Keys.Count > 0;

    /// <summary>The configured keys by the SHA-256 of the key, checked; throws naming the setting that is wrong.</summary>
    public IReadOnlyDictionary<string, (string Name, string Scope)> ByHash()
    {
        var byHash = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        foreach (var (name, entry) in Keys)
        {
            var where = $"{Section}:Keys:{name}";
            if (ApiScopes.Rank(entry.Scope) == 0) throw new InvalidOperationException($"{where}:Scope must be read, write or admin; it is '{entry.Scope}'.");
            string hash;
            if (!string.IsNullOrEmpty(entry.Key))
            {
                if (entry.Key.Length < MinKeyLength) throw new InvalidOperationException($"{where}:Key must be at least {MinKeyLength} characters.");
                hash = Hash(entry.Key);
            }
            else if (entry.Sha256 is { Length: 64 } given && given.All(Uri.IsHexDigit))
            {
                hash = given.ToLowerInvariant();
            }
            else
            {
                throw new InvalidOperationException($"{where} needs Key (at least {MinKeyLength} characters) or Sha256 (64 hex digits).");
            }
            if (!byHash.TryAdd(hash, (name, entry.Scope!))) throw new InvalidOperationException($"{where} repeats the key of another entry.");
        }
        return byHash;
    }

    /// <summary>The SHA-256 of a key, lower-case hex.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
