using System.Net;

namespace InMemoryDb.Api.Security;

/// <summary>
/// Where the API will listen, read from configuration before it starts (<c>urls</c> / <c>ASPNETCORE_URLS</c> /
/// <c>--urls</c>, <c>http_ports</c>/<c>https_ports</c>, <c>Kestrel:Endpoints:*:Url</c>), and the rule that an API without
/// keys listens on loopback only.
/// </summary>
public static class ListenAddresses
{
    /// <summary>The address used when none is configured.</summary>
    public const string Default = "http://localhost:8080";

    /// <summary>The configured addresses (empty when none is).</summary>
    public static IReadOnlyList<string> Configured(IConfiguration configuration)
    {
        var urls = new List<string>();
        if (configuration["urls"] is { Length: > 0 } list) urls.AddRange(list.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        foreach (var (key, scheme) in new[] { ("http_ports", "http"), ("https_ports", "https") })
        {
            if (configuration[key] is { Length: > 0 } ports)
            {
                // Ports alone bind every interface.
                urls.AddRange(ports.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(p => $"{scheme}://*:{p}"));
            }
        }
        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            if (endpoint["Url"] is { Length: > 0 } url) urls.Add(url);
        }
        return urls;
    }

    /// <summary>True when <paramref name="url"/> binds only a loopback address.</summary>
    public static bool IsLoopback(string url)
    {
        var rest = url.Contains("://", StringComparison.Ordinal) ? url[(url.IndexOf("://", StringComparison.Ordinal) + 3)..] : url;
        string host;
        if (rest.StartsWith('['))
        {
            var close = rest.IndexOf(']');
            if (close < 0) return false;
            host = rest[1..close];
        }
        else
        {
            var end = rest.IndexOfAny([':', '/']);
            host = end < 0 ? rest : rest[..end];
        }
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address);
    }

    /// <summary>
    /// Null when the API may start; otherwise why not: without API keys it may listen on loopback only (the embedded
    /// default and local runs), so a misconfigured deployment never serves every record to anyone who can reach it.
    /// </summary>
    public static string? Refusal(IReadOnlyList<string> urls, bool keysConfigured)
    {
        if (keysConfigured) return null;
        var open = urls.Where(u => !IsLoopback(u)).ToArray();
        return open.Length == 0 ? null
            : $"Refusing to start: asked to listen on {string.Join(", ", open)} with no API key configured, which would let anyone who can reach it read and change every record. " +
              "Configure at least one key (e.g. InMemoryDb__Auth__Keys__admin__Key=<a secret of 16+ characters> and InMemoryDb__Auth__Keys__admin__Scope=admin), " +
              "or listen on loopback only (e.g. Urls=http://127.0.0.1:8080). See docs/operations/security.md.";
    }
}
