using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using InMemoryDb.Grains;
using InMemoryDb.Grains.Questions;
using InMemoryDb.Questions;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Runtime;
using Orleans.Storage;

namespace InMemoryDb.Tests.Integration;

/// <summary>Seed 000 on a real PostgreSQL: questions, attempts, scores and the event log survive full restarts.</summary>
public sealed class QuestionsPersistenceTests
{
    private static StringContent Question(long id, string correta = "b") => Http.Json(JsonSerializer.Serialize(new
    {
        question_id = id,
        question_text = $"Question {id}?",
        alternativa_a = "a1",
        alternativa_b = "b1",
        alternativa_c = "c1",
        alternativa_d = "d1",
        alternativa_correta = correta,
        dificuldade = "media",
        assunto = "persistencia",
    }));

    private static StringContent Answer(long id, string usuario, int attempt, string chosen)
        => Http.Json(JsonSerializer.Serialize(new { question_id = id, alternativa_escolhida = chosen, datahora = "2025-05-01T10:00:00-03:00", usuario, nro_tentativa = attempt }));

    private static async Task<JsonNode[]> EventsAsync(HttpClient client)
        => (await (await client.GetAsync("/api/v1/events?limit=10000")).JsonAsync()).AsArray().Select(e => e!).ToArray();

    private static async Task<string> TextAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).ToJsonString();
    }

    [Fact]
    public async Task QuestionsAttemptsScoresAndTheLogSurviveRestarts()
    {
        var serviceId = "questions-" + Guid.NewGuid().ToString("N")[..12];
        string questions, answers, score;
        JsonNode[] before;
        await using (var first = new ApiFactory(TestEnvironment.Postgres, serviceId))
        {
            var client = first.CreateClient();
            for (var id = 1; id <= 5; id++) Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/question", Question(id, id % 2 == 0 ? "C" : "b1"))).StatusCode);
            foreach (var usuario in new[] { "ana", "bia", "caio" })
            {
                for (var id = 1; id <= 4; id++)
                {
                    Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/answer", Answer(id, usuario, 1, usuario == "bia" ? "c" : "b"))).StatusCode);
                }
            }
            Assert.Equal(HttpStatusCode.OK, (await client.DeleteAsync("/question/3")).StatusCode);
            questions = await TextAsync(client, "/questions");
            answers = await TextAsync(client, "/answers");
            score = await TextAsync(client, "/users/bia/score");
            before = await Eventually.Poll(() => EventsAsync(client), e => e.Length == 18);
        }
        Assert.Equal("""{"usuario":"bia","attempts":4,"correct_answers":2,"questions_answered_correctly":2,"accuracy":0.5}""", score);

        await using (var second = new ApiFactory(TestEnvironment.Postgres, serviceId))
        {
            var client = second.CreateClient();
            Assert.Equal(questions, await TextAsync(client, "/questions"));
            Assert.Equal(4, JsonNode.Parse(questions)!.AsArray().Count);
            Assert.Equal(answers, await TextAsync(client, "/answers"));
            Assert.Equal(12, JsonNode.Parse(answers)!.AsArray().Count);
            Assert.Equal(score, await TextAsync(client, "/users/bia/score"));
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("/question/3")).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/question", Question(1))).StatusCode);
            Assert.Equal(HttpStatusCode.BadRequest, (await client.PostAsync("/answer", Answer(1, "ana", 1, "a"))).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/question", Question(3))).StatusCode);

            Assert.Equal("""{"message":"5 questions deleted"}""", (await (await client.DeleteAsync("/questions")).JsonAsync()).ToJsonString());
            Assert.Equal("""{"message":"12 answers deleted"}""", (await (await client.DeleteAsync("/answers")).JsonAsync()).ToJsonString());
            var after = await Eventually.Poll(() => EventsAsync(client), e => e.Length == 21);
            Assert.Equal(before.Select(e => e.ToJsonString()), after.Take(18).Select(e => e.ToJsonString()));
            // Three entities' events: the log keeps each entity's order, not the order across entities (docs/api.md, "Event log").
            Assert.Equal(["create_question", "delete_answers", "delete_questions"], after.Skip(18).Select(e => (string)e["method"]!).Order(StringComparer.Ordinal));
        }

        await using (var third = new ApiFactory(TestEnvironment.Postgres, serviceId))
        {
            var client = third.CreateClient();
            Assert.Equal("[]", await TextAsync(client, "/questions"));
            Assert.Equal("[]", await TextAsync(client, "/answers"));
            Assert.Equal("""{"usuario":"bia","attempts":0,"correct_answers":0,"questions_answered_correctly":0,"accuracy":0}""", await TextAsync(client, "/users/bia/score"));
            var events = await EventsAsync(client);
            Assert.Equal(21, events.Length);
            Assert.Equal(21, events.Select(e => (string)e["event_id"]!).Distinct().Count());
        }

        // Seed 000's table shape: every method, with its content and time, in the dados view.
        await using var connection = new NpgsqlConnection(TestEnvironment.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT d.metodo, count(*), min(d.criado_em), bool_and(jsonb_typeof(d.conteudo) = 'object')
              FROM dados d JOIN event_log e ON e.position = d.id
             WHERE e.service_id = $1 GROUP BY d.metodo ORDER BY d.metodo
            """, connection);
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            Assert.True(reader.GetFieldValue<DateTimeOffset>(2) > DateTimeOffset.UtcNow.AddMinutes(-10));
            Assert.True(reader.GetBoolean(3));
            rows.Add($"{reader.GetString(0)}={reader.GetInt64(1)}");
        }
        Assert.Equal(["create_answer=12", "create_question=6", "delete_answers=1", "delete_question=1", "delete_questions=1"], rows);
    }

    [Fact]
    public async Task BulkDeleteInterruptedByACrashIsFinishedAndLoggedOnceAtStartup()
    {
        var serviceId = "bulkcrash-" + Guid.NewGuid().ToString("N")[..12];
        var operation = Guid.NewGuid();
        await using (var crashed = new ApiFactory(TestEnvironment.Postgres, serviceId))
        {
            var client = crashed.CreateClient();
            for (var id = 1; id <= 3; id++) Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/question", Question(id))).StatusCode);
            await Eventually.Poll(() => EventsAsync(client), e => e.Length == 3);

            // As a silo that died in the middle of DELETE /questions leaves it: the operation recorded, question 2 deleted.
            var storage = crashed.Services.GetRequiredKeyedService<IGrainStorage>(ProviderNames.Storage);
            var coordinator = new TestGrainState<BulkDeleteState>();
            var coordinatorId = GrainId.Create("bulkdelete", QuestionKeys.Questions);
            await storage.ReadStateAsync(BulkDeleteGrain.StateName, coordinatorId, coordinator);
            coordinator.State.Pending = operation;
            coordinator.State.PendingCorrelationId = "crashed-bulk";
            await storage.WriteStateAsync(BulkDeleteGrain.StateName, coordinatorId, coordinator);
            var question = new TestGrainState<QuestionState>();
            var questionId = GrainId.Create("question", QuestionKeys.Question(2));
            await storage.ReadStateAsync(QuestionGrain.StateName, questionId, question);
            Assert.True(question.State.Exists);
            question.State.Exists = false;
            question.State.Version++;
            question.State.DeletedBy = operation;
            await storage.WriteStateAsync(QuestionGrain.StateName, questionId, question);
        }

        await using var restarted = new ApiFactory(TestEnvironment.Postgres, serviceId);
        var again = restarted.CreateClient();
        var events = await Eventually.Poll(() => EventsAsync(again), e => e.Any(x => (string)x["method"]! == "delete_questions"));
        var bulk = Assert.Single(events, e => (string)e["method"]! == "delete_questions");
        Assert.Equal(operation.ToString(), (string)bulk["key"]!);
        Assert.Equal("crashed-bulk", (string)bulk["correlation_id"]!);
        Assert.Equal(3, (int)bulk["content"]!["count"]!);
        Assert.Equal([1L, 2L, 3L], bulk["content"]!["questions"]!.AsArray().Select(q => (long)q!["question_id"]!));
        Assert.Equal("[]", await TextAsync(again, "/questions"));
        Assert.Equal("""{"message":"0 questions deleted"}""", (await (await again.DeleteAsync("/questions")).JsonAsync()).ToJsonString());
        await Eventually.Poll(() => EventsAsync(again), e => e.Count(x => (string)x["method"]! == "delete_questions") == 2);
    }
}
