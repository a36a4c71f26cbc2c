using System.Globalization;
using System.Text.Json;
using InMemoryDb.Api.Http;
using InMemoryDb.Api.Models;
using InMemoryDb.Events;
using Microsoft.AspNetCore.Mvc;

namespace InMemoryDb.Api.Apis;

/// <summary>The event log: <c>GET /api/v1/events</c>.</summary>
public static class EventsApi
{
    private const int DefaultLimit = 100;
    private const int MaxLimit = 10_000;

    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1").WithTags("Events")
            .MapGet("/events", ReadAsync)
            .WithSummary("Events after a position, in log order")
            .WithDescription($"after: a position (default 0); limit: 1–{MaxLimit} (default {DefaultLimit}). Page by passing the last position as after.")
            .Produces<EventResponse[]>().ProducesProblem(400);
        return app;
    }

    private static async Task<IResult> ReadAsync([FromQuery] string? after, [FromQuery] string? limit, IGrainFactory grains)
    {
        long from = 0;
        if (after is not null && !long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out from))
        {
            return Problems.BadRequest("after must be a non-negative integer (a log position).");
        }
        var count = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxLimit))
        {
            return Problems.BadRequest($"limit must be an integer between 1 and {MaxLimit}.");
        }

        var events = await grains.GetGrain<IEventLogGrain>(0).ReadAsync(from, count);
        return TypedResults.Ok(events.Select(ToResponse).ToArray());
    }

    private static EventResponse ToResponse(LoggedEvent logged)
    {
        var e = logged.Event;
        using var content = JsonDocument.Parse(e.ContentJson);
        return new EventResponse(logged.Position, e.EventId, e.Method, e.Entity, e.Key, content.RootElement.Clone(), e.Timestamp, e.CorrelationId);
    }
}
