using System.Text.Json;

namespace InMemoryDb.Api.Http;

/// <summary>Writes records straight to the response with <see cref="RecordJson"/> (data is passed through as stored, never re-parsed).</summary>
public static class RecordResults
{
    private const int FlushThreshold = 64 * 1024;

    /// <summary>One record, with its version as the ETag.</summary>
    public static IResult Single(RecordSnapshot record, int status = StatusCodes.Status200OK, string? location = null)
        => new Result(async context =>
        {
            context.Response.StatusCode = status;
            context.Response.Headers.ETag = ETags.Of(record.Version);
            if (location is not null) context.Response.Headers.Location = location;
            await WriteAsync(context, writer =>
            {
                RecordJson.Write(writer, record);
                return ValueTask.CompletedTask;
            });
        });

    /// <summary>A JSON array of records.</summary>
    public static IResult Array(IReadOnlyList<RecordSnapshot> records, string? nextLink = null)
        => Streamed<RecordSnapshot>(_ => Task.FromResult<(IReadOnlyList<RecordSnapshot>, string?)>((records, null)), null, RecordJson.Write, nextLink);

    /// <summary>A JSON array of join pairs <c>{"left table": record, "right table": record}</c>.</summary>
    public static IResult Pairs(string leftTable, string rightTable, IReadOnlyList<JoinPair> pairs, string? nextLink = null)
        => Streamed<JoinPair>(_ => Task.FromResult<(IReadOnlyList<JoinPair>, string?)>((pairs, null)), null, PairWriter(leftTable, rightTable), nextLink);

    /// <summary>Writes a join pair named after its tables (a self-join suffixes the names, which would collide).</summary>
    public static Action<Utf8JsonWriter, JoinPair> PairWriter(string leftTable, string rightTable)
    {
        var (leftName, rightName) = leftTable == rightTable ? (leftTable + "_1", rightTable + "_2") : (leftTable, rightTable);
        return (writer, pair) =>
        {
            writer.WriteStartObject();
            writer.WritePropertyName(leftName);
            RecordJson.Write(writer, pair.Left);
            writer.WritePropertyName(rightName);
            RecordJson.Write(writer, pair.Right);
            writer.WriteEndObject();
        };
    }

    /// <summary>
    /// A JSON array written page by page as <paramref name="page"/> yields them (from cursor <paramref name="start"/> until
    /// a page names no next cursor), flushed as it goes: a whole table never sits in memory. Should a page fail once
    /// the answer has started, the connection is aborted, so a client never takes a cut body for a whole one.
    /// </summary>
    public static IResult Streamed<T>(Func<string?, Task<(IReadOnlyList<T> Items, string? Next)>> page, string? start,
        Action<Utf8JsonWriter, T> write, string? nextLink = null)
        => new Result(async context =>
        {
            Paging.SetNext(context.Response, nextLink);
            await WriteAsync(context, async writer =>
            {
                writer.WriteStartArray();
                var cursor = start;
                do
                {
                    (IReadOnlyList<T> Items, string? Next) current;
                    try
                    {
                        current = await page(cursor);
                    }
                    catch when (context.Response.HasStarted)
                    {
                        context.Abort();
                        throw;
                    }
                    foreach (var item in current.Items)
                    {
                        write(writer, item);
                        if (writer.BytesPending > FlushThreshold) await writer.FlushAsync(context.RequestAborted);
                    }
                    cursor = current.Next;
                }
                while (cursor is not null);
                writer.WriteEndArray();
            });
        });

    private static async Task WriteAsync(HttpContext context, Func<Utf8JsonWriter, ValueTask> write)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, RecordJson.WriterOptions);
        await write(writer);
        await writer.FlushAsync(context.RequestAborted);
    }

    private sealed class Result(Func<HttpContext, Task> execute) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => execute(httpContext);
    }
}
