using InMemoryDb.Api.Http;
using InMemoryDb.Api.Models;
using InMemoryDb.KeyValue;

namespace InMemoryDb.Api.Apis;

/// <summary><c>GET /health</c>: ready only when the cluster answers, its storage is reachable and its key-value index is loaded.</summary>
public static class HealthApi
{
    /// <summary>Maps the route.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", CheckAsync).WithTags("Health").AllowAnonymous().DisableRateLimiting()
            .WithSummary("Readiness: 200 when storage answers and the in-memory indexes are loaded, 503 (with Retry-After while loading) otherwise")
            .Produces<HealthResponse>().ProducesProblem(503);
        return app;
    }

    private static async Task<IResult> CheckAsync(IGrainFactory grains, HttpResponse response)
    {
        StorageHealth health;
        bool indexLoaded;
        try
        {
            health = await grains.GetGrain<IStorageHealthGrain>(0).CheckAsync().WaitAsync(TimeSpan.FromSeconds(5));
            indexLoaded = await grains.GetGrain<IKeyValueStoreGrain>(0).IsLoadedAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e)
        {
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, $"The cluster did not answer: {e.Message}");
        }
        if (health.Problem is null && !indexLoaded)
        {
            response.Headers.RetryAfter = "1";
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, "The key-value index is loading its keys from storage after a start: single-key reads are served, listings are not yet.");
        }
        return health.Problem is null
            ? TypedResults.Ok(new HealthResponse("ready", health.Storage))
            : Problems.Of(StatusCodes.Status503ServiceUnavailable, $"Storage is not reachable ({health.Storage}): {health.Problem}");
    }
}
