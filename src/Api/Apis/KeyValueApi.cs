using System.Text.Json;
using InMemoryDb.Api.Http;
using InMemoryDb.Api.Models;
using InMemoryDb.Grains.KeyValue;
using InMemoryDb.KeyValue;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace InMemoryDb.Api.Apis;

/// <summary>Seed 003's key-value store: <c>GET/PUT/DELETE /api</c> and <c>GET /api/all</c>.</summary>
public static class KeyValueApi
{
    /// <summary>The message of a read of a key that does not exist (seed 003's shape: <c>{"detail": "key not found"}</c>).</summary>
    public const string NotFoundDetail = "key not found";

    private const string TimestampMessage = "timestamp must be an ISO-8601 date-time (e.g. 2026-01-31T12:00:00.123Z) or a whole number of Unix milliseconds, from 0001-01-01 to 9999-12-30T23:59:59.9999999Z.";

    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapKeyValueApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").WithTags("Key-value");
        api.MapGet("", GetAsync)
            .WithSummary("Read a key")
            .WithDescription("source is memory when the key was resident (its index partition holds every loaded key), postgres when this read loaded it from PostgreSQL (only while the index is still loading after a start).")
            .Produces<KeyValueGetResponse>().ProducesProblem(400).ProducesProblem(404);
        api.MapGet("/all", ListAsync)
            .WithSummary("Every key with its value, in key order (ordinal)")
            .WithDescription($"With limit (1–{KeyValueKeys.MaxPageSize}), one page; the Link header (rel=next) gives the next page, whose after is the last key returned.")
            .Produces<KeyValueListResponse>().ProducesProblem(400);
        api.MapPut("", PutAsync)
            .WithSummary("Set a key (last writer wins by timestamp)")
            .WithDescription("Body {\"key\", \"value\", \"timestamp\"?}: key 1–256 characters, value at most 64 KiB, timestamp ISO-8601 or Unix milliseconds (assigned by the server when absent). Answers once the write is durable: stored, or ignored when the key holds a newer operation.")
            .Accepts<KeyValuePutRequest>("application/json")
            .Produces<KeyValueWriteResponse>().ProducesProblem(400).ProducesProblem(413).ProducesValidationProblem(422);
        api.MapDelete("", DeleteAsync)
            .WithSummary("Delete a key (last writer wins by timestamp; leaves a tombstone)")
            .WithDescription("Optional timestamp (ISO-8601 or Unix milliseconds). Answers once the delete is durable: deleted, or ignored when the key holds a newer operation.")
            .Produces<KeyValueWriteResponse>().ProducesProblem(400);
        return app;
    }

    private static async Task<IResult> GetAsync([FromQuery] string? key, KeyValueReader reader)
    {
        if (CheckQueryKey(key) is { } problem) return problem;
        if (await reader.GetAsync(key!) is not { } read) return Problems.Of(StatusCodes.Status404NotFound, NotFoundDetail);
        return TypedResults.Ok(new KeyValueGetResponse(new KeyValueItem(key!, read.Value), read.FromStorage ? "postgres" : "memory"));
    }

    private static async Task<IResult> ListAsync([FromQuery] string? limit, [FromQuery] string? after, HttpRequest request, IGrainFactory grains)
    {
        if (Paging.TryLimit(limit, KeyValueKeys.MaxPageSize, out var pageSize) is { } problem) return problem;
        var outcome = await grains.GetGrain<IKeyValueStoreGrain>(0).ListAsync(after, pageSize);
        if (!outcome.Succeeded) return Problems.From(outcome);
        var page = outcome.Value!;
        Paging.SetNext(request.HttpContext.Response, page.NextAfter is { } next && pageSize is { } size ? Paging.Next(request, size, next) : null);
        return TypedResults.Ok(new KeyValueListResponse(page.Entries.Select(e => new KeyValueItem(e.Key, e.Value)).ToArray()));
    }

    private static async Task<IResult> PutAsync(HttpRequest request, IGrainFactory grains)
    {
        var (document, problem) = await JsonBody.ReadAsync(request);
        if (document is null) return problem!;
        string? key, value;
        DateTimeOffset? timestamp;
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return Problems.BadRequest("The body must be a JSON object {\"key\": string, \"value\": string, \"timestamp\"?: ISO-8601 or Unix milliseconds}.");
            }
            var errors = new Dictionary<string, string[]>();
            key = ReadString(root, "key", errors);
            value = ReadString(root, "value", errors);
            timestamp = ReadTimestamp(root, errors);
            if (key is not null && KeyValueKeys.CheckKey(key) is { } keyProblem) errors["key"] = [keyProblem];
            if (errors.Count > 0) return Problems.Validation(errors);
        }

        // Straight to the key's partition, its writer: no grain per key.
        var outcome = await KeyValueIndexGrain.Of(grains, key!).WriteAsync(key!, value!, timestamp);
        return WriteResult(outcome);
    }

    private static async Task<IResult> DeleteAsync([FromQuery] string? key, [FromQuery] string? timestamp, IGrainFactory grains)
    {
        if (CheckQueryKey(key) is { } problem) return problem;
        DateTimeOffset? at = null;
        if (timestamp is not null)
        {
            if (!KeyValueTimestamps.TryParse(timestamp, out var parsed)) return Problems.BadRequest(TimestampMessage);
            at = parsed;
        }
        var outcome = await KeyValueIndexGrain.Of(grains, key!).WriteAsync(key!, null, at);
        return WriteResult(outcome);
    }

    private static IResult WriteResult(Outcome<KeyValueWriteResult> outcome)
    {
        if (outcome is { Kind: OutcomeKind.Ok or OutcomeKind.Ignored, Value: { } result })
        {
            var status = result.Status switch
            {
                KeyValueWriteStatus.Stored => "stored",
                KeyValueWriteStatus.Deleted => "deleted",
                _ => "ignored",
            };
            return TypedResults.Ok(new KeyValueWriteResponse(status, KeyValueTimestamps.Format(result.Timestamp)));
        }
        return Problems.From(outcome);
    }

    private static ProblemHttpResult? CheckQueryKey(string? key)
    {
        if (string.IsNullOrEmpty(key)) return Problems.BadRequest("The query parameter key is required and must not be empty.");
        return KeyValueKeys.CheckKey(key) is { } message ? Problems.BadRequest(message) : null;
    }

    private static string? ReadString(JsonElement root, string name, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty(name, out var element) || element.ValueKind == JsonValueKind.Null)
        {
            errors[name] = ["is required"];
            return null;
        }
        if (element.ValueKind != JsonValueKind.String)
        {
            errors[name] = ["must be a string"];
            return null;
        }
        try
        {
            return element.GetString();
        }
        catch (InvalidOperationException)
        {
            errors[name] = ["must be valid Unicode text"];
            return null;
        }
    }

    private static DateTimeOffset? ReadTimestamp(JsonElement root, Dictionary<string, string[]> errors)
    {
        if (!root.TryGetProperty("timestamp", out var element) || element.ValueKind == JsonValueKind.Null) return null;
        var parsed = default(DateTimeOffset);
        bool ok;
        try
        {
            ok = element.ValueKind switch
            {
                JsonValueKind.Number => element.TryGetInt64(out var milliseconds) && KeyValueTimestamps.TryFromUnixMilliseconds(milliseconds, out parsed),
                JsonValueKind.String => KeyValueTimestamps.TryParse(element.GetString(), out parsed),
                _ => false,
            };
        }
        catch (InvalidOperationException)
        {
            ok = false; // A string with an invalid escape sequence (an unpaired surrogate) is no timestamp.
        }
        if (ok) return parsed;
        errors["timestamp"] = [TimestampMessage];
        return null;
    }
}
