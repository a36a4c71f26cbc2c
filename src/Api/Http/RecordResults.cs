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
        => new Result(async context =>
        {
            if (nextLink is not null) context.Response.Headers.Link = $"<{nextLink}>; rel=\"next\"";
            await WriteAsync(context, async writer =>
            {
                writer.WriteStartArray();
                foreach (var record in records)
                {
                    RecordJson.Write(writer, record);
                    if (writer.BytesPending > FlushThreshold) await writer.FlushAsync(context.RequestAborted);
                }
                writer.WriteEndArray();
            });
        });

    /// <summary>A JSON array of join pairs <c>{"left table": record, "right table": record}</c>.</summary>
    public static IResult Pairs(string leftTable, string rightTable, IReadOnlyList<JoinPair> pairs)
        => new Result(async context =>
        {
            // Joining a table with itself: the names would collide, so the sides are suffixed.
            var (leftName, rightName) = leftTable == rightTable ? (leftTable + "_1", rightTable + "_2") : (leftTable, rightTable);
            await WriteAsync(context, async writer =>
            {
                writer.WriteStartArray();
                foreach (var pair in pairs)
                {
                    writer.WriteStartObject();
                    writer.WritePropertyName(leftName);
                    RecordJson.Write(writer, pair.Left);
                    writer.WritePropertyName(rightName);
                    RecordJson.Write(writer, pair.Right);
                    writer.WriteEndObject();
                    if (writer.BytesPending > FlushThreshold) await writer.FlushAsync(context.RequestAborted);
                }
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
