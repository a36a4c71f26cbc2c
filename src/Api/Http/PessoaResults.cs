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

    private static async Task WriteAsync(HttpContext context, Action<Utf8JsonWriter> write)
    {
        context.Response.ContentType = "application/json; charset=utf-8";
        await using var writer = new Utf8JsonWriter(context.Response.BodyWriter, RecordJson.WriterOptions);
        write(writer);
        await writer.FlushAsync(context.RequestAborted);
    }

    private sealed class Result(Func<HttpContext, Task> execute) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext) => execute(httpContext);
    }
}
