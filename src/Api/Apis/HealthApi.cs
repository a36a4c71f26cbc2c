using InMemoryDb.Api.Http;
using InMemoryDb.Api.Models;

namespace InMemoryDb.Api.Apis;

/// <summary><c>GET /health</c>: ready only when the cluster answers and its storage is reachable.</summary>
public static class HealthApi
{
    /// <summary>Maps the route.</summary>
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health", CheckAsync).WithTags("Health").AllowAnonymous().DisableRateLimiting()
            .WithSummary("Readiness: 200 when storage answers, 503 otherwise")
            .Produces<HealthResponse>().ProducesProblem(503);
        return app;
    }

    private static async Task<IResult> CheckAsync(IGrainFactory grains)
    {
        StorageHealth health;
        try
        {
            health = await grains.GetGrain<IStorageHealthGrain>(0).CheckAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e)
        {
            return Problems.Of(StatusCodes.Status503ServiceUnavailable, $"The cluster did not answer: {e.Message}");
        }
        return health.Problem is null
            ? TypedResults.Ok(new HealthResponse("ready", health.Storage))
            : Problems.Of(StatusCodes.Status503ServiceUnavailable, $"Storage is not reachable ({health.Storage}): {health.Problem}");
    }
}
