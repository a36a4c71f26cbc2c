using System.Buffers;
using System.Text.Json;
using InMemoryDb.Pessoas;

namespace InMemoryDb.Api.Http;

/// <summary>Writes people straight to the response with <see cref="PessoaJson"/>.</summary>
public static class PessoaResults
{
    /// <summary>One person; with a location, a <c>201 Created</c>.</summary>
    public static IResult Single(Pessoa pessoa, string? location = null)
        => new Result(async context =>
        {
            if (location is not null)
            {
                context.Response.StatusCode = StatusCodes.Status201Created;
                context.Response.Headers.Location = location;
            }
            await WriteAsync(context, writer => PessoaJson.Write(writer, pessoa));
        });

    /// <summary>A JSON array of people.</summary>
    public static IResult Array(IReadOnlyList<Pessoa> pessoas)
        => new Result(context => WriteAsync(context, writer =>
        {
            writer.WriteStartArray();
            foreach (var pessoa in pessoas) PessoaJson.Write(writer, pessoa);
            writer.WriteEndArray();
        }));

    /// <summary>Writes the JSON into a buffer first, so the response has a Content-Length (bodies are small: at most 50 people).</summary>
    private static Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        var buffer = JsonScratch.Take();
        try
        {
            using (var writer = new Utf8JsonWriter(buffer, RecordJson.WriterOptions))
            {
                write(writer);
            }
            context.Response.ContentType = "application/json; charset=utf-8";
            context.Response.ContentLength = buffer.WrittenCount;
            // Copied into the response pipe here, so the buffer is free again before the flush completes.
            context.Response.BodyWriter.Write(buffer.WrittenSpan);
        }
        finally
        {
            JsonScratch.Return(buffer);
        }
        return context.Response.BodyWriter.FlushAsync(context.RequestAborted).AsTask();
    }

    private sealed class Result(Func<HttpContext, Task> execute) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => execute(httpContext);
    }
}
