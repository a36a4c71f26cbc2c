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
        if (request.ContentLength > MaxBytes) return (null, TooLarge());
        var buffer = new ArrayBufferWriter<byte>(request.ContentLength is > 0 and var length ? (int)length : 4096);
        while (true)
        {
            var span = buffer.GetMemory(8192);
            var read = await request.Body.ReadAsync(span, request.HttpContext.RequestAborted);
            if (read == 0) break;
            buffer.Advance(read);
            if (buffer.WrittenCount > MaxBytes) return (null, TooLarge());
        }
        if (buffer.WrittenCount == 0) return (null, Problems.BadRequest("The request body is empty; send a JSON document."));
        try
        {
            return (JsonDocument.Parse(buffer.WrittenMemory, Options), null);
        }
        catch (JsonException e)
        {
            return (null, Problems.BadRequest($"Malformed JSON: {e.Message}"));
        }
    }

    /// <summary>Reads a body of the form <c>{"data": {...}}</c> and returns the raw JSON of the data object.</summary>
    public static async Task<(string? DataJson, ProblemHttpResult? Problem)> ReadDataAsync(HttpRequest request)
    {
        var (document, problem) = await ReadAsync(request);
        if (document is null) return (null, problem);
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("data", out var data)
                || data.ValueKind != JsonValueKind.Object)
            {
                return (null, Problems.BadRequest("The body must be a JSON object of the form {\"data\": {...}} whose data is an object."));
            }
            return (data.GetRawText(), null);
        }
    }

    private static ProblemHttpResult TooLarge()
        => Problems.Of(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {MaxBytes} bytes.");
}
