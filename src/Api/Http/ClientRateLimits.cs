using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using InMemoryDb.Api.Security;
using Microsoft.AspNetCore.Http.Features.Authentication;
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
/// <c>Retry-After</c>; endpoints marked <c>DisableRateLimiting()</c> (<c>/health</c>) are never limited. The defaults
/// are sized for this service's benchmarks, which run with the limit on; size them for your clients
/// (docs/operations/security.md). A request costs a dictionary lookup and a short lock, no allocation; buckets idle
/// for a minute are dropped.
/// </summary>
public sealed class ClientRateLimits : IDisposable
{
    private static readonly TimeSpan IdleAfter = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<ClientKey, Bucket> _buckets = new();
    private readonly double _perTick;
    private readonly double _burst;
    private readonly Timer _sweeper;

    /// <summary>Creates the limiter.</summary>
    public ClientRateLimits(ClientRateLimitOptions options)
    {
        Options = options;
        _perTick = options.PermitsPerSecond / (double)Stopwatch.Frequency;
        _burst = options.Burst;
        _sweeper = new Timer(_ => Sweep(), null, IdleAfter, IdleAfter);
    }

    /// <summary>The options.</summary>
    public ClientRateLimitOptions Options { get; }

    /// <summary>Reads and checks <c>InMemoryDb:RateLimits</c>.</summary>
    public static ClientRateLimitOptions From(IConfiguration configuration)
    {
        var options = configuration.GetSection("InMemoryDb:RateLimits").Get<ClientRateLimitOptions>() ?? new ClientRateLimitOptions();
        return options.PermitsPerSecond >= 1 && options.Burst >= 1
            ? options
            : throw new InvalidOperationException("InMemoryDb:RateLimits:PermitsPerSecond and InMemoryDb:RateLimits:Burst must be at least 1.");
    }

    /// <summary>Takes a permit for <paramref name="client"/>; when none is left, how long until one is.</summary>
    public bool TryAcquire(ClientKey client, out TimeSpan retryAfter)
    {
        var bucket = _buckets.GetOrAdd(client, static (_, burst) => new Bucket(burst), _burst);
        var now = Stopwatch.GetTimestamp();
        lock (bucket)
        {
            bucket.Tokens = Math.Min(_burst, bucket.Tokens + (now - bucket.Refilled) * _perTick);
            bucket.Refilled = now;
            if (bucket.Tokens >= 1)
            {
                bucket.Tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }
            retryAfter = TimeSpan.FromSeconds((1 - bucket.Tokens) / (_perTick * Stopwatch.Frequency));
            return false;
        }
    }

    /// <summary>The partition of a request: its API key's name, else its client address.</summary>
    public static ClientKey Client(HttpContext context)
        // Through the feature: HttpContext.User makes an empty principal for every unauthenticated request.
        => context.Features.Get<IHttpAuthenticationFeature>()?.User?.Identity is { IsAuthenticated: true, Name: { } name }
            ? new ClientKey(name, null)
            : new ClientKey(null, context.Connection.RemoteIpAddress);

    /// <inheritdoc />
    public void Dispose() => _sweeper.Dispose();

    private void Sweep()
    {
        var idle = Stopwatch.GetTimestamp() - (long)(IdleAfter.TotalSeconds * Stopwatch.Frequency);
        foreach (var (key, bucket) in _buckets)
        {
            if (Volatile.Read(ref bucket.Refilled) < idle) _buckets.TryRemove(key, out _);
        }
    }

    /// <summary>A rate-limit partition: an API key's name, or a client address.</summary>
    public readonly record struct ClientKey(string? KeyName, IPAddress? Address);

    private sealed class Bucket(double tokens)
    {
        public double Tokens = tokens;
        public long Refilled = Stopwatch.GetTimestamp();
    }
}

/// <summary>The middleware of <see cref="ClientRateLimits"/>.</summary>
public static class ClientRateLimitsMiddleware
{
    /// <summary>Adds the middleware (after routing and authentication, so endpoints and keys are known).</summary>
    public static IApplicationBuilder UseClientRateLimits(this IApplicationBuilder app, ClientRateLimits limits) => app.Use((context, next) =>
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<DisableRateLimitingAttribute>() is not null) return next(context);
        if (limits.TryAcquire(ClientRateLimits.Client(context), out var wait)) return next(context);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        var o = limits.Options;
        return ApiProblems.WriteAsync(context, StatusCodes.Status429TooManyRequests,
            $"Too many requests from this client (InMemoryDb:RateLimits: {o.PermitsPerSecond}/s, bursts of {o.Burst}); retry after {seconds} s.");
    });
}
