using System.Buffers;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InMemoryDb.Api.Http;

/// <summary>Reads request bodies: at most <see cref="MaxBytes"/>, well-formed JSON, of the expected shape.</summary>
public static class JsonBody
{
    /// <summary>The largest accepted body (1 MiB).</summary>
    public const int MaxBytes = 1024 * 1024;

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    /// <summary>Reads the body as a JSON document; the problem (400 or 413) when it cannot.</summary>
    public static async Task<(JsonDocument? Document, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request)
    {
        var (tooLarge, read) = await ReadAllAsync(request, static body => ParseDocument(body));
        return tooLarge ? (null, TooLarge()) : read;
    }

    /// <summary>
    /// Buffers the whole body in the request's pipe (at most <see cref="MaxBytes"/>, else <c>TooLarge</c>) and
    /// returns what <paramref name="parse"/> makes of it; the bytes are only valid during that call. Reading from the
    /// pipe copies nothing: a body read through a stream into a growing buffer cost an 8 KiB array per request.
    /// </summary>
    public static async Task<(bool TooLarge, T? Value)> ReadAllAsync<T>(HttpRequest request, Func<ReadOnlySequence<byte>, T> parse)
    {
        if (request.ContentLength > MaxBytes) return (true, default);
        var pipe = request.BodyReader;
        while (true)
        {
            var result = await pipe.ReadAsync(request.HttpContext.RequestAborted);
            var buffer = result.Buffer;
            if (buffer.Length > MaxBytes)
            {
                pipe.AdvanceTo(buffer.End);
                return (true, default);
            }
            if (result.IsCompleted)
            {
                try
                {
                    return (false, parse(buffer));
                }
                finally
                {
                    pipe.AdvanceTo(buffer.End);
                }
            }
            pipe.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>The body as a document (owning a copy of the bytes), or the problem (400).</summary>
    private static (JsonDocument? Document, ProblemHttpResult? Problem) ParseDocument(ReadOnlySequence<byte> body)
    {
        if (body.IsEmpty) return (null, Problems.BadRequest("The request body is empty; send a JSON document."));
        try
        {
            return (JsonDocument.Parse(body.ToArray(), Options), null);
        }
        catch (JsonException e)
        {
            return (null, Problems.BadRequest($"Malformed JSON: {e.Message}"));
        }
    }

    /// <summary>
    /// Reads a body of the form <c>{"data": {...}}</c> and returns the raw JSON of the data object. The whole body is
    /// checked against <see cref="InputLimits"/> first (400 when malformed, 422 naming the field when a value is beyond them).
    /// </summary>
    public static async Task<(string? DataJson, ProblemHttpResult? Problem)> ReadDataAsync(HttpRequest request)
    {
        var (tooLarge, read) = await ReadAllAsync(request, static body => ParseData(body));
        return tooLarge ? (null, TooLarge()) : read;
    }

    private static (string? DataJson, ProblemHttpResult? Problem) ParseData(ReadOnlySequence<byte> body)
    {
        if (body.IsEmpty) return (null, Problems.BadRequest("The request body is empty; send a JSON document."));
        var bytes = body.ToArray();
        if (InputLimits.CheckJson(bytes, "", wrapperLevels: 1) is { } refused) return (null, Refused(refused));
        using var document = JsonDocument.Parse(bytes, Options);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object
            || !root.TryGetProperty("data", out var data)
            || data.ValueKind != JsonValueKind.Object)
        {
            return (null, Problems.BadRequest("The body must be a JSON object of the form {\"data\": {...}} whose data is an object."));
        }
        return (data.GetRawText(), null);
    }

    /// <summary>
    /// The problem for a body beyond <see cref="InputLimits"/>: 400 when malformed, else 422 naming the field as the
    /// schemas' errors do (a record's field by its name, <c>data</c> for the object itself, <c>body</c> outside it).
    /// </summary>
    private static ProblemHttpResult Refused(JsonProblem problem)
    {
        var field = problem.Path switch
        {
            "" => "body",
            "data" => "data",
            var path when path.StartsWith("data.", StringComparison.Ordinal) => path["data.".Length..],
            var path => path,
        };
        return problem.Malformed
            ? Problems.BadRequest($"{field} {problem.Message}.")
            : Problems.Validation(new Dictionary<string, string[]> { [field] = [problem.Message] });
    }

    private static ProblemHttpResult TooLarge()
        => Problems.Of(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {MaxBytes} bytes.");
}
