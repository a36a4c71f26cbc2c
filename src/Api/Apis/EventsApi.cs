using System.Globalization;
using System.Text.Json;
using InMemoryDb.Api.Http;
using InMemoryDb.Api.Models;
using InMemoryDb.Api.Security;
using InMemoryDb.Events;
using InMemoryDb.Grains.Events;
using Microsoft.AspNetCore.Mvc;

namespace InMemoryDb.Api.Apis;

/// <summary>The event log: <c>GET /api/v1/events</c>.</summary>
public static class EventsApi
{
    private const int DefaultLimit = 100;

    // How much of a page one grain call brings at a time (a page is written as its chunks arrive).
    private const long ChunkBytes = 4L * 1024 * 1024;

    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapEventsApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/v1").WithTags("Events")
            .MapGet("/events", ReadAsync)
            .WithSummary("Events after a position, in log order")
            .WithDescription($"after: a position (default 0); limit: 1–{EventLogGrain.MaxPageSize} (default {DefaultLimit}). Page by passing the last position as after " +
                             "(the Link header, rel=next, names the next page whenever this one is not empty). 400 when the page would pass the response limit.")
            .RequireScope(ApiScopes.Admin)
            .Produces<EventResponse[]>().ProducesProblem(400)
            .DisableRequestTimeout();
        return app;
    }

    private static async Task<IResult> ReadAsync([FromQuery] string? after, [FromQuery] string? limit, HttpRequest request, IGrainFactory grains)
    {
        long from = 0;
        if (after is not null && !long.TryParse(after, NumberStyles.None, CultureInfo.InvariantCulture, out from))
        {
            return Problems.BadRequest("after must be a non-negative integer (a log position).");
        }
        if (Paging.TryLimit(limit, EventLogGrain.MaxPageSize, out var asked) is { } problem) return problem;
        var count = asked ?? DefaultLimit;

        var log = grains.GetGrain<IEventLogGrain>(0);
        var measured = await log.MeasureAsync(from, count);
        if (!measured.Succeeded) return Problems.From(measured);
        var range = measured.Value!;
        var next = range.Count > 0 ? Paging.Next(request, count, range.LastPosition.ToString(CultureInfo.InvariantCulture)) : null;

        var remaining = range.Count;
        return RecordResults.Streamed<LoggedEvent>(async cursor =>
        {
            var position = long.Parse(cursor!, CultureInfo.InvariantCulture);
            var chunk = remaining > 0 ? await log.ReadAsync(position, remaining, ChunkBytes) : [];
            remaining -= chunk.Count;
            var more = remaining > 0 && chunk.Count > 0;
            return (chunk, more ? chunk[^1].Position.ToString(CultureInfo.InvariantCulture) : null);
        }, from.ToString(CultureInfo.InvariantCulture), Write, next);
    }

    /// <summary>Writes an event as <see cref="EventResponse"/>'s shape, its content passed through as stored (never re-parsed).</summary>
    private static void Write(Utf8JsonWriter writer, LoggedEvent logged)
    {
        var e = logged.Event;
        writer.WriteStartObject();
        writer.WriteNumber("position"u8, logged.Position);
        writer.WriteString("event_id"u8, e.EventId);
        writer.WriteString("method"u8, e.Method);
        writer.WriteString("entity"u8, e.Entity);
        writer.WriteString("key"u8, e.Key);
        writer.WritePropertyName("content"u8);
        writer.WriteRawValue(e.ContentJson, skipInputValidation: true);
        writer.WriteString("timestamp"u8, e.Timestamp);
        writer.WriteString("correlation_id"u8, e.CorrelationId);
        writer.WriteEndObject();
    }
}
