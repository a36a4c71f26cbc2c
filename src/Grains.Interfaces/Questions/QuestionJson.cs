using System.Text.Json;
using InMemoryDb.Tables;

namespace InMemoryDb.Questions;

/// <summary>
/// Seed 000's JSON shapes, used for API responses and event contents alike: a question is
/// <c>{"question_id", "question_text", "alternativa_a".."alternativa_d", "alternativa_correta", "dificuldade", "assunto"}</c>,
/// an attempt is <c>{"question_id", "alternativa_escolhida", "datahora", "usuario", "nro_tentativa", "is_correct"}</c>.
/// </summary>
public static class QuestionJson
{
    /// <summary>Writes a question object.</summary>
    public static void Write(Utf8JsonWriter writer, QuestionSnapshot question)
    {
        writer.WriteStartObject();
        writer.WriteNumber("question_id"u8, question.QuestionId);
        writer.WriteString("question_text"u8, question.QuestionText);
        writer.WriteString("alternativa_a"u8, question.AlternativaA);
        writer.WriteString("alternativa_b"u8, question.AlternativaB);
        writer.WriteString("alternativa_c"u8, question.AlternativaC);
        writer.WriteString("alternativa_d"u8, question.AlternativaD);
        writer.WriteString("alternativa_correta"u8, question.AlternativaCorreta);
        writer.WriteString("dificuldade"u8, question.Dificuldade);
        writer.WriteString("assunto"u8, question.Assunto);
        writer.WriteEndObject();
    }

    /// <summary>Writes an attempt object.</summary>
    public static void Write(Utf8JsonWriter writer, AnswerSnapshot answer)
    {
        writer.WriteStartObject();
        writer.WriteNumber("question_id"u8, answer.QuestionId);
        writer.WriteString("alternativa_escolhida"u8, answer.AlternativaEscolhida);
        writer.WriteString("datahora"u8, answer.Datahora);
        writer.WriteString("usuario"u8, answer.Usuario);
        writer.WriteNumber("nro_tentativa"u8, answer.NroTentativa);
        writer.WriteBoolean("is_correct"u8, answer.IsCorrect);
        writer.WriteEndObject();
    }

    /// <summary>A question as a JSON string.</summary>
    public static string ToJson(QuestionSnapshot question) => Build(w => Write(w, question));

    /// <summary>An attempt as a JSON string.</summary>
    public static string ToJson(AnswerSnapshot answer) => Build(w => Write(w, answer));

    /// <summary>The content of a bulk-delete event: <c>{"count": n, "{name}": [...]}</c>.</summary>
    public static string BulkJson<T>(string name, IReadOnlyCollection<T> items, Action<Utf8JsonWriter, T> write) => Build(w =>
    {
        w.WriteStartObject();
        w.WriteNumber("count"u8, items.Count);
        w.WriteStartArray(name);
        foreach (var item in items) write(w, item);
        w.WriteEndArray();
        w.WriteEndObject();
    });

    private static string Build(Action<Utf8JsonWriter> write)
        => JsonScratch.ToJson(write, static (writer, write) => write(writer), RecordJson.WriterOptions);
}
