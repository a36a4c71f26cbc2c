using System.Globalization;
using InMemoryDb.Api.Http;
using InMemoryDb.Api.Models;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace InMemoryDb.Api.Apis;

/// <summary>Seed 004's tables and records: <c>/api/v1/data</c>, <c>/dump</c>, <c>/join</c>, <c>/tables</c>.</summary>
public static class TablesApi
{
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
            .WithDescription("With limit (1–100000), one page; the Link header (rel=next) gives the next page, whose after is the last id returned.")
            .Produces<RecordResponse[]>().ProducesProblem(400).ProducesProblem(404);
        api.MapGet("/join/{table1}/{table2}/{key}", JoinAsync)
            .WithSummary("Inner equi-join of two tables on a field")
            .WithDescription("Pairs {\"table1\": rec1, \"table2\": rec2} where rec1[key] == rec2[key]; a table1 record without the field joins by its id (so /join/users/orders/user_id pairs each order with its user). Values compare by JSON type and value (1 == 1.0, \"1\" != 1).")
            .Produces<Dictionary<string, RecordResponse>[]>().ProducesProblem(400).ProducesProblem(404);
        api.MapGet("/tables", ListTablesAsync)
            .WithSummary("Every table with its exact record count");
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
        var record = await grains.GetGrain<IRecordGrain>(TableNames.RecordKey(table, id)).GetAsync();
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
        int? pageSize = null;
        if (limit is not null)
        {
            if (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return Problems.BadRequest($"limit must be an integer between 1 and {Grains.Tables.TableGrain.MaxPageSize}.");
            }
            pageSize = parsed;
        }

        var outcome = await grains.GetGrain<ITableGrain>(table).DumpAsync(after, pageSize);
        if (!outcome.Succeeded) return Problems.From(outcome);
        var page = outcome.Value!;
        var next = page.NextAfter is null ? null
            : $"{request.PathBase}{request.Path}?limit={pageSize}&after={Uri.EscapeDataString(page.NextAfter)}";
        return RecordResults.Array(page.Records, next);
    }

    private static async Task<IResult> JoinAsync(string table1, string table2, string key, IGrainFactory grains)
    {
        if ((CheckTable(table1) ?? CheckTable(table2)) is { } problem) return problem;
        var outcome = await grains.GetGrain<ITableGrain>(table1).JoinAsync(table2, key);
        return outcome.Succeeded ? RecordResults.Pairs(table1, table2, outcome.Value!) : Problems.From(outcome);
    }

    private static async Task<Ok<TableResponse[]>> ListTablesAsync(IGrainFactory grains)
    {
        var tables = await grains.GetGrain<ITableCatalogGrain>(ITableCatalogGrain.Key).ListAsync();
        return TypedResults.Ok(tables.Select(t => new TableResponse(t.Name, t.Count, t.Schema)).ToArray());
    }

    private static ProblemHttpResult? CheckTable(string table)
        => TableNames.IsValid(table) ? null : Problems.BadRequest(Grains.Tables.TableGrain.InvalidTableMessage(table));

    private static ProblemHttpResult? CheckId(string id)
        => TableNames.CheckId(id) is { } message ? Problems.BadRequest(message) : null;

    private static ProblemHttpResult StaleIfMatch(HttpRequest request)
        => Problems.Of(StatusCodes.Status412PreconditionFailed, $"If-Match '{request.Headers.IfMatch}' names no version of this record; use the ETag of a GET.");

    private static string RecordPath(RecordSnapshot record)
        => $"/api/v1/data/{record.Table}/{Uri.EscapeDataString(record.Id)}";
}
