using System.Security.Cryptography;
using System.Text;

namespace InMemoryDb.Api.Security;

/// <summary>The configured API keys, by hash; read once at start-up.</summary>
public sealed class ApiKeyRegistry(ApiKeyOptions options)
{
    private readonly IReadOnlyDictionary<string, (string Name, string Scope)> _byHash = options.ByHash();

    /// <summary>True when keys are configured (every route but health needs one).</summary>
    public bool Enabled => _byHash.Count > 0;

    /// <summary>The key's name and scope, or null when it is not a configured key.</summary>
    public (string Name, string Scope)? Find(string presented)
    {
        if (presented.Length is 0 or > 1024) return null;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(presented), hash);
        // Looked up by hash: the lookup's timing can only tell how much of a hash matched, which says nothing of a key.
        return _byHash.TryGetValue(Convert.ToHexStringLower(hash), out var found) ? found : null;
    }
}
