using System.Globalization;
using InMemoryDb.Api.Http;
using InMemoryDb.Api.Models;
using InMemoryDb.Grains.Tables;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace InMemoryDb.Api.Apis;

/// <summary>Seed 004's tables and records: <c>/api/v1/data</c>, <c>/dump</c>, <c>/join</c>, <c>/tables</c>.</summary>
public static class TablesApi
{
    private const int DefaultTablesPage = 100;

    /// <summary>Maps the routes.</summary>
    public static IEndpointRouteBuilder MapTablesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api/v1").WithTags("Tables");

        api.MapPost("/data/{table}", CreateAsync)
            .WithSummary("Create a record")
            .WithDescription("The id is data.id when that is a string (409 if taken), otherwise a new UUID. users and orders are validated (422); other tables take any JSON object.")
            .Accepts<DataRequest>("application/json")
            .Produces<RecordResponse>(StatusCodes.Status201Created)
            .ProducesProblem(400).ProducesProblem(409).ProducesProblem(413).ProducesValidationProblem(422);
        api.MapGet("/data/{table}/{id}", GetAsync)
            .WithSummary("Read a record (ETag = version; If-None-Match gives 304)")
            .Produces<RecordResponse>().Produces(StatusCodes.Status304NotModified).ProducesProblem(400).ProducesProblem(404);
        api.MapPut("/data/{table}/{id}", UpdateAsync)
            .WithSummary("Merge fields into a record")
            .WithDescription("Top-level fields of data replace the record's; a null removes the field. If-Match with a stale ETag gives 412 and changes nothing.")
            .Accepts<DataRequest>("application/json")
            .Produces<RecordResponse>().ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412).ProducesValidationProblem(422);
        api.MapDelete("/data/{table}/{id}", DeleteAsync)
            .WithSummary("Delete a record (If-Match honoured)")
            .Produces(StatusCodes.Status204NoContent).ProducesProblem(400).ProducesProblem(404).ProducesProblem(412);
        api.MapGet("/dump/{table}", DumpAsync)
            .WithSummary("Every record of a table, in id order")
            .WithDescription("With limit (1–100000), one page; the Link header (rel=next) gives the next page, whose after is the last id returned. " +
                             "Without limit, every record after after (streamed); 400 when that whole answer would pass the response limit (InMemoryDb:Limits:MaxResponseBytes).")
            .Produces<RecordResponse[]>().ProducesProblem(400).ProducesProblem(404)
            .DisableRequestTimeout();
        api.MapGet("/join/{table1}/{table2}/{key}", JoinAsync)
            .WithSummary("Inner equi-join of two tables on a field")
            .WithDescription("Pairs {\"table1\": rec1, \"table2\": rec2} where rec1[key] == rec2[key]; a table1 record without the field joins by its id (so /join/users/orders/user_id pairs each order with its user). Values compare by JSON type and value (1 == 1.0, \"1\" != 1). " +
                             "Pairs come in (left id, right id) order; with limit (1–100000) one page, whose Link header (rel=next) names the next; without limit, every pair (streamed), 400 when that would pass the response limit.")
            .Produces<Dictionary<string, RecordResponse>[]>().ProducesProblem(400).ProducesProblem(404)
            .DisableRequestTimeout();
        api.MapGet("/tables", ListTablesAsync)
            .WithSummary("The tables with their exact record counts, by name")
            .WithDescription($"limit: 1–{ITableCatalogGrain.MaxPageSize} (default {DefaultTablesPage}); the Link header (rel=next) gives the next page, whose after is the last name returned.")
            .Produces<TableResponse[]>().ProducesProblem(400);
        return app;
    }

    private static async Task<IResult> CreateAsync(string table, HttpRequest request, IGrainFactory grains)
    {
        if (CheckTable(table) is { } tableProblem) return tableProblem;
        var (data, problem) = await JsonBody.ReadDataAsync(request);
        if (data is null) return problem!;

        var outcome = await grains.GetGrain<ITableGrain>(table).CreateAsync(data);
        if (!outcome.Succeeded) return Problems.From(outcome);
        var record = outcome.Value!;
        return RecordResults.Single(record, StatusCodes.Status201Created, RecordPath(record));
    }

    private static async Task<IResult> GetAsync(string table, string id, HttpRequest request, IGrainFactory grains)
    {
        if ((CheckTable(table) ?? CheckId(id)) is { } problem) return problem;
        var record = await grains.GetRecordAsync(table, id);
        if (record is null) return Problems.Of(StatusCodes.Status404NotFound, $"Record '{id}' does not exist in table '{table}'.");
        if (request.Headers.IfNoneMatch.ToString() == ETags.Of(record.Version))
        {
            return TypedResults.StatusCode(StatusCodes.Status304NotModified);
        }
        return RecordResults.Single(record);
    }

    private static async Task<IResult> UpdateAsync(string table, string id, HttpRequest request, IGrainFactory grains)
    {
        if ((CheckTable(table) ?? CheckId(id)) is { } problem) return problem;
        if (!ETags.TryParseIfMatch(request.Headers.IfMatch, out var expected)) return StaleIfMatch(request);
        var (data, bodyProblem) = await JsonBody.ReadDataAsync(request);
        if (data is null) return bodyProblem!;

        var outcome = await grains.GetGrain<IRecordGrain>(TableNames.RecordKey(table, id)).UpdateAsync(data, expected);
        return outcome.Succeeded ? RecordResults.Single(outcome.Value!) : Problems.From(outcome);
    }

    private static async Task<IResult> DeleteAsync(string table, string id, HttpRequest request, IGrainFactory grains)
    {
        if ((CheckTable(table) ?? CheckId(id)) is { } problem) return problem;
        if (!ETags.TryParseIfMatch(request.Headers.IfMatch, out var expected)) return StaleIfMatch(request);
        var outcome = await grains.GetGrain<IRecordGrain>(TableNames.RecordKey(table, id)).DeleteAsync(expected);
        return outcome.Succeeded ? TypedResults.NoContent() : Problems.From(outcome);
    }

    private static async Task<IResult> DumpAsync(string table, [FromQuery] string? limit, [FromQuery] string? after, HttpRequest request, IGrainFactory grains)
    {
        if (CheckTable(table) is { } problem) return problem;
        if (Paging.TryLimit(limit, TableGrain.MaxPageSize, out var pageSize) is { } limitProblem) return limitProblem;
        var tableGrain = grains.GetGrain<ITableGrain>(table);
        if (pageSize is { } size)
        {
            var outcome = await tableGrain.DumpAsync(after, size);
            if (!outcome.Succeeded) return Problems.From(outcome);
            var page = outcome.Value!;
            return RecordResults.Array(page.Records, page.NextAfter is { } next ? Paging.Next(request, size, next) : null);
        }

        // The whole rest of the table: refused up front when it would pass the response limit, else streamed page by page.
        var measured = await tableGrain.MeasureDumpAsync(after);
        if (!measured.Succeeded) return Problems.From(measured);
        return RecordResults.Streamed(async cursor =>
        {
            var page = await tableGrain.DumpAsync(cursor, Paging.StreamPageSize);
            return page.Succeeded ? (page.Value!.Records, page.Value.NextAfter) : throw new InvalidOperationException(page.Detail);
        }, after, RecordJson.Write);
    }

    private static async Task<IResult> JoinAsync(string table1, string table2, string key, [FromQuery] string? limit, [FromQuery] string? after,
        HttpRequest request, IGrainFactory grains)
    {
        if ((CheckTable(table1) ?? CheckTable(table2)) is { } problem) return problem;
        if (Paging.TryLimit(limit, TableGrain.MaxPageSize, out var pageSize) is { } limitProblem) return limitProblem;
        var left = grains.GetGrain<ITableGrain>(table1);
        if (pageSize is { } size)
        {
            var outcome = await left.JoinAsync(table2, key, after, size);
            if (!outcome.Succeeded) return Problems.From(outcome);
            var page = outcome.Value!;
            return RecordResults.Pairs(table1, table2, page.Pairs, page.NextAfter is { } next ? Paging.Next(request, size, next) : null);
        }

        var measured = await left.MeasureJoinAsync(table2, key, after);
        if (!measured.Succeeded) return Problems.From(measured);
        return RecordResults.Streamed(async cursor =>
        {
            var page = await left.JoinAsync(table2, key, cursor, Paging.StreamPageSize);
            return page.Succeeded ? (page.Value!.Pairs, page.Value.NextAfter) : throw new InvalidOperationException(page.Detail);
        }, after, RecordResults.PairWriter(table1, table2));
    }

    private static async Task<IResult> ListTablesAsync([FromQuery] string? limit, [FromQuery] string? after, HttpRequest request, IGrainFactory grains)
    {
        if (Paging.TryLimit(limit, ITableCatalogGrain.MaxPageSize, out var asked) is { } problem) return problem;
        var size = asked ?? DefaultTablesPage;
        var page = await grains.GetGrain<ITableCatalogGrain>(ITableCatalogGrain.Key).ListAsync(after, size);
        Paging.SetNext(request.HttpContext.Response, page.NextAfter is { } next ? Paging.Next(request, size, next) : null);
        return TypedResults.Ok(page.Tables.Select(t => new TableResponse(t.Name, t.Count, t.Schema)).ToArray());
    }

    private static ProblemHttpResult? CheckTable(string table)
        => TableNames.IsValid(table) ? null : Problems.BadRequest(TableGrain.InvalidTableMessage(table));

    private static ProblemHttpResult? CheckId(string id)
        => TableNames.CheckId(id) is { } message ? Problems.BadRequest(message) : null;

    private static ProblemHttpResult StaleIfMatch(HttpRequest request)
        => Problems.Of(StatusCodes.Status412PreconditionFailed, $"If-Match '{request.Headers.IfMatch}' names no version of this record; use the ETag of a GET.");

    private static string RecordPath(RecordSnapshot record)
        => $"/api/v1/data/{record.Table}/{Uri.EscapeDataString(record.Id)}";
}
