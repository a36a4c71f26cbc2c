using System.Globalization;
using System.Threading.RateLimiting;
using InMemoryDb.Api.Security;
using Microsoft.AspNetCore.RateLimiting;

namespace InMemoryDb.Api.Http;

/// <summary>Options of the per-client rate limit (configuration section <c>InMemoryDb:RateLimits</c>).</summary>
public sealed class ClientRateLimitOptions
{
    /// <summary>Requests per second each client (API key, or address when anonymous) may make on average.</summary>
    public int PermitsPerSecond { get; set; } = 100_000;

    /// <summary>How many requests a client may make at once above the average (the bucket's size).</summary>
    public int Burst { get; set; } = 100_000;

    /// <summary>False turns the limit off.</summary>
    public bool Enabled { get; set; } = true;
}

/// <summary>
/// A token bucket per client: per API key when the request carries one, else per client address (behind a proxy, the
/// address <c>X-Forwarded-For</c> names when the proxy is a known one). A client over its limit gets 429 with
/// <c>Retry-After</c>; <c>/health</c> is never limited. The defaults are sized for this service's benchmarks, which
/// run with the limit on; size them for your clients (docs/operations/security.md).
/// </summary>
public static class ClientRateLimits
{
    /// <summary>Registers the limiter.</summary>
    public static IServiceCollection AddClientRateLimits(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection("InMemoryDb:RateLimits").Get<ClientRateLimitOptions>() ?? new ClientRateLimitOptions();
        if (options.PermitsPerSecond < 1 || options.Burst < 1)
        {
            throw new InvalidOperationException("InMemoryDb:RateLimits:PermitsPerSecond and InMemoryDb:RateLimits:Burst must be at least 1.");
        }
        services.AddSingleton(options);
        if (!options.Enabled) return services;

        // Replenished every 100 ms, so a client's rate is smooth within a second.
        var perTenth = Math.Max(1, options.PermitsPerSecond / 10);
        return services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, ClientKey>(context => RateLimitPartition.GetTokenBucketLimiter(Client(context),
                _ => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = options.Burst,
                    TokensPerPeriod = perTenth,
                    ReplenishmentPeriod = TimeSpan.FromMilliseconds(100),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            o.OnRejected = async (rejected, _) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : 1;
                rejected.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                await ApiProblems.WriteAsync(rejected.HttpContext, StatusCodes.Status429TooManyRequests,
                    $"Too many requests from this client (InMemoryDb:RateLimits: {options.PermitsPerSecond}/s, bursts of {options.Burst}); retry after {retryAfter} s.");
            };
        });
    }

    /// <summary>The partition of a request: its API key's name, else its client address (no string built per request).</summary>
    public static ClientKey Client(HttpContext context)
        => context.User.Identity is { IsAuthenticated: true, Name: { } name }
            ? new ClientKey(name, null)
            : new ClientKey(null, context.Connection.RemoteIpAddress);

    /// <summary>A rate-limit partition: an API key's name, or a client address.</summary>
    public readonly record struct ClientKey(string? KeyName, System.Net.IPAddress? Address);
}
