using System.Buffers;
using System.Text.Json;
using InMemoryDb.Pessoas;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InMemoryDb.Api.Http;

/// <summary>
/// Reads a <c>POST /pessoas</c> body straight from the request pipe into a <see cref="NovaPessoa"/>, checking the
/// JSON syntax and types only (400): a field must be a string or null, <c>stack</c> null or an array of strings.
/// The rules on values (422) are the grains'. Unknown fields are ignored.
/// </summary>
public static class PessoaBody
{
    private static readonly JsonReaderOptions Options = new() { MaxDepth = 64 };

    /// <summary>The person, or the problem (400, 413) when the body cannot be one.</summary>
    public static async Task<(NovaPessoa? Pessoa, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request)
    {
        var (tooLarge, (pessoa, error)) = await JsonBody.ReadAllAsync(request, static body => Parse(body));
        if (tooLarge) return (null, TooLarge());
        return (pessoa, error is null ? null : Problems.BadRequest(error));
    }

    /// <summary>Parses a body; the error message when it is not a JSON object of the expected types.</summary>
    public static (NovaPessoa? Pessoa, string? Error) Parse(ReadOnlySequence<byte> body)
    {
        if (body.IsEmpty) return (null, "The request body is empty; send a JSON object.");
        var reader = new Utf8JsonReader(body, Options);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return (null, "The body must be a JSON object.");
            string? apelido = null, nome = null, nascimento = null;
            string[]? stack = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("apelido"u8))
                {
                    if (!ReadString(ref reader, out apelido)) return (null, "apelido must be a string.");
                }
                else if (reader.ValueTextEquals("nome"u8))
                {
                    if (!ReadString(ref reader, out nome)) return (null, "nome must be a string.");
                }
                else if (reader.ValueTextEquals("nascimento"u8))
                {
                    if (!ReadString(ref reader, out nascimento)) return (null, "nascimento must be a string.");
                }
                else if (reader.ValueTextEquals("stack"u8))
                {
                    if (!ReadStack(ref reader, out stack)) return (null, "stack must be null or an array of strings.");
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            // The object is closed; anything but whitespace after it makes Read throw.
            while (reader.Read())
            {
            }
            return (new NovaPessoa(apelido, nome, nascimento, stack), null);
        }
        catch (JsonException e)
        {
            return (null, $"Malformed JSON: {e.Message}");
        }
        catch (InvalidOperationException e)
        {
            // A string that is not valid UTF-8.
            return (null, $"Malformed JSON: {e.Message}");
        }
    }

    private static bool ReadString(ref Utf8JsonReader reader, out string? value)
    {
        reader.Read();
        value = null;
        if (reader.TokenType == JsonTokenType.Null) return true;
        if (reader.TokenType != JsonTokenType.String) return false;
        value = reader.GetString();
        return true;
    }

    private static bool ReadStack(ref Utf8JsonReader reader, out string[]? stack)
    {
        reader.Read();
        stack = null;
        if (reader.TokenType == JsonTokenType.Null) return true;
        if (reader.TokenType != JsonTokenType.StartArray) return false;
        var items = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String) return false;
            items.Add(reader.GetString()!);
        }
        stack = items.ToArray();
        return true;
    }

    private static ProblemHttpResult TooLarge()
        => Problems.Of(StatusCodes.Status413PayloadTooLarge, $"The request body is larger than {JsonBody.MaxBytes} bytes.");
}
