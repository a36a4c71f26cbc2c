using System.Buffers;
using System.Globalization;
using System.Text.Json;
using InMemoryDb.Api.Models.Questions;
using InMemoryDb.Questions;

namespace InMemoryDb.Api.Http;

/// <summary>
/// Reads seed 000's request bodies the way FastAPI (pydantic v1) did, so clients see the same 422s: an empty body,
/// malformed JSON, a non-object, a missing field, a null or a value of the wrong type each give a field error with
/// its location. Integers also accept integral numbers written as strings (pydantic's coercion); strings also accept
/// numbers (written as in the request). The domain rules (non-blank, lengths, the right alternative…) are the grains'.
/// </summary>
public static class SeedBody
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 64 };

    /// <summary>Reads <c>POST /question</c>'s body.</summary>
    public static async Task<(QuestionInput? Input, IResult? Problem)> ReadQuestionAsync(HttpRequest request)
    {
        var (document, problem) = await ReadAsync(request);
        if (document is null) return (null, problem);
        using (document)
        {
            var body = new Fields(document.RootElement);
            var input = new QuestionInput(
                body.Integer("question_id"), body.Text("question_text"),
                body.Text("alternativa_a"), body.Text("alternativa_b"), body.Text("alternativa_c"), body.Text("alternativa_d"),
                body.Text("alternativa_correta"), body.Text("dificuldade"), body.Text("assunto"));
            return body.Errors.Count > 0 ? (null, SeedResults.Validation(body.Errors)) : (input, null);
        }
    }

    /// <summary>Reads <c>POST /answer</c>'s body.</summary>
    public static async Task<(AnswerInput? Input, IResult? Problem)> ReadAnswerAsync(HttpRequest request)
    {
        var (document, problem) = await ReadAsync(request);
        if (document is null) return (null, problem);
        using (document)
        {
            var body = new Fields(document.RootElement);
            var input = new AnswerInput(
                body.Integer("question_id"), body.Text("alternativa_escolhida"), body.Text("datahora"), body.Text("usuario"), body.Integer("nro_tentativa"));
            return body.Errors.Count > 0 ? (null, SeedResults.Validation(body.Errors)) : (input, null);
        }
    }

    /// <summary>Reads an integer route or query value; null with the 422 to return when it is not one.</summary>
    public static long? Integer(string? value, string where, string name, out IResult? problem)
    {
        problem = null;
        if (long.TryParse(value?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)) return parsed;
        problem = SeedResults.Validation(where, name, "value is not a valid integer", "type_error.integer");
        return null;
    }

    private static async Task<(JsonDocument? Document, IResult? Problem)> ReadAsync(HttpRequest request)
    {
        var (tooLarge, read) = await JsonBody.ReadAllAsync(request, static body => ParseObject(body));
        return tooLarge ? (null, TooLarge()) : read;
    }

    private static (JsonDocument? Document, IResult? Problem) ParseObject(ReadOnlySequence<byte> body)
    {
        var bytes = body.ToArray();
        if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
        {
            return (null, SeedResults.Validation([new FieldError(["body"], "field required", "value_error.missing")]));
        }
        try
        {
            var document = JsonDocument.Parse(bytes, Options);
            if (document.RootElement.ValueKind == JsonValueKind.Object) return (document, null);
            document.Dispose();
            return (null, SeedResults.Validation([new FieldError(["body"], "value is not a valid dict", "type_error.dict")]));
        }
        catch (JsonException e)
        {
            var position = (int)(e.BytePositionInLine ?? 0);
            return (null, SeedResults.Validation([new FieldError(["body", position], $"Malformed JSON: {e.Message}", "value_error.jsondecode")]));
        }
    }

    private static IResult TooLarge()
        => SeedResults.Detail(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {JsonBody.MaxBytes} bytes.");

    /// <summary>Reads fields of a JSON object, collecting an error per missing or mistyped field.</summary>
    private sealed class Fields(JsonElement root)
    {
        public List<FieldError> Errors { get; } = [];

        public string Text(string name)
        {
            if (!Find(name, out var value)) return "";
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    try
                    {
                        return value.GetString()!;
                    }
                    catch (InvalidOperationException)
                    {
                        // Invalid UTF-8, or an escaped unpaired surrogate: not text.
                        Errors.Add(new FieldError(["body", name], "value " + InputLimits.InvalidUnicodeMessage, "value_error.str.unicode"));
                        return "";
                    }
                case JsonValueKind.Number:
                    return value.GetRawText();
                default:
                    Errors.Add(new FieldError(["body", name], "str type expected", "type_error.str"));
                    return "";
            }
        }

        public long Integer(string name)
        {
            if (!Find(name, out var value)) return 0;
            if (value.ValueKind == JsonValueKind.Number)
            {
                if (value.TryGetInt64(out var whole)) return whole;
                if (value.TryGetDouble(out var real) && Math.Floor(real) == real && Math.Abs(real) < 9.2e18) return (long)real;
            }
            else if (value.ValueKind == JsonValueKind.String
                     && TryText(value) is { } text
                     && long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed))
            {
                return parsed;
            }
            Errors.Add(new FieldError(["body", name], "value is not a valid integer", "type_error.integer"));
            return 0;
        }

        private static string? TryText(JsonElement value)
        {
            try
            {
                return value.GetString();
            }
            catch (InvalidOperationException)
            {
                return null;
            }
        }

        private bool Find(string name, out JsonElement value)
        {
            if (!root.TryGetProperty(name, out value))
            {
                Errors.Add(new FieldError(["body", name], "field required", "value_error.missing"));
                return false;
            }
            if (value.ValueKind == JsonValueKind.Null)
            {
                Errors.Add(new FieldError(["body", name], "none is not an allowed value", "type_error.none.not_allowed"));
                return false;
            }
            return true;
        }
    }
}
