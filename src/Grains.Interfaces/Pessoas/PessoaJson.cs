using System.Text.Json;

namespace InMemoryDb.Pessoas;

/// <summary>The JSON shape of a person: <c>{"id","apelido","nome","nascimento","stack"}</c>.</summary>
public static class PessoaJson
{
    /// <summary>Writes <paramref name="pessoa"/> as a JSON object.</summary>
    public static void Write(Utf8JsonWriter writer, Pessoa pessoa)
    {
        writer.WriteStartObject();
        writer.WriteString("id"u8, pessoa.Id);
        writer.WriteString("apelido"u8, pessoa.Apelido);
        writer.WriteString("nome"u8, pessoa.Nome);
        writer.WriteString("nascimento"u8, pessoa.Nascimento);
        if (pessoa.Stack is { } stack)
        {
            writer.WriteStartArray("stack"u8);
            foreach (var item in stack) writer.WriteStringValue(item);
            writer.WriteEndArray();
        }
        else
        {
            writer.WriteNull("stack"u8);
        }
        writer.WriteEndObject();
    }

    /// <summary><paramref name="pessoa"/> as a JSON string.</summary>
    public static string ToJson(Pessoa pessoa)
        => JsonScratch.ToJson(pessoa, Write, InMemoryDb.Tables.RecordJson.WriterOptions);
}
