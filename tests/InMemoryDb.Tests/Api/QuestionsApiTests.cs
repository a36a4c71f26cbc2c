using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InMemoryDb.Tests.Api;

[Collection(QuestionsApiCollection.Name)]
public sealed class QuestionsApiTests(ApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    private static long NewId() => Random.Shared.NextInt64(1, 1L << 50);

    private static string NewUser() => "u-" + Guid.NewGuid().ToString("N")[..10];

    private static Dictionary<string, object?> Question(long id, string correta = "b") => new()
    {
        ["question_id"] = id,
        ["question_text"] = "Quanto é 2+2?",
        ["alternativa_a"] = "3",
        ["alternativa_b"] = "4",
        ["alternativa_c"] = "5",
        ["alternativa_d"] = "22",
        ["alternativa_correta"] = correta,
        ["dificuldade"] = "fácil",
        ["assunto"] = "matemática",
    };

    private static Dictionary<string, object?> Answer(long questionId, string usuario, long attempt, string chosen = "b") => new()
    {
        ["question_id"] = questionId,
        ["alternativa_escolhida"] = chosen,
        ["datahora"] = "2025-05-01T14:30:00Z",
        ["usuario"] = usuario,
        ["nro_tentativa"] = attempt,
    };

    private static StringContent Body(object body) => Http.Json(JsonSerializer.Serialize(body));

    private async Task CreateQuestionAsync(long id, string correta = "b")
    {
        var response = await Client.PostAsync("/question", Body(Question(id, correta)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<bool> CreateAnswerAsync(long questionId, string usuario, long attempt, string chosen = "b")
    {
        var response = await Client.PostAsync("/answer", Body(Answer(questionId, usuario, attempt, chosen)));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (bool)(await response.JsonAsync())["is_correct"]!;
    }

    private static async Task AssertDetailAsync(HttpResponseMessage response, HttpStatusCode status, string detail)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(new JsonObject { ["detail"] = detail }.ToJsonString(), JsonNode.Parse(body)!.ToJsonString());
    }

    /// <summary>Asserts a FastAPI-style 422 and returns its errors as "where.field:type".</summary>
    private static async Task<string[]> AssertValidationAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnprocessableEntity, $"expected 422, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var detail = JsonNode.Parse(body)!["detail"]!.AsArray();
        Assert.NotEmpty(detail);
        Assert.All(detail, e => Assert.False(string.IsNullOrEmpty((string?)e!["msg"])));
        return detail.Select(e => string.Join('.', e!["loc"]!.AsArray().Select(l => l!.ToString())) + ":" + (string)e["type"]!).ToArray();
    }

    private async Task<JsonNode[]> EventsAsync(string method, Func<JsonNode, bool> match, int atLeast = 1)
        => await Eventually.Poll(
            () => Client.EventsAsync(e => (string)e["method"]! == method && match(e)),
            events => events.Length >= atLeast);

    [Fact]
    public async Task RootSaysHello()
    {
        var response = await Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = (await response.JsonAsync()).AsObject();
        Assert.Equal(["Hello"], body.Select(p => p.Key));
        Assert.False(string.IsNullOrWhiteSpace((string)body["Hello"]!));
    }

    [Fact]
    public async Task DocsDescribeEverySeedRoute()
    {
        var paths = (await (await Client.GetAsync("/openapi/v1.json")).JsonAsync())["paths"]!.AsObject().Select(p => p.Key).ToArray();
        foreach (var route in new[] { "/", "/question", "/questions", "/question/{question_id}", "/answer", "/answers", "/users/{usuario}/score" })
        {
            Assert.Contains(route, paths);
        }
    }

    [Fact]
    public async Task CreateThenGetReturnsTheQuestionWithALowerCaseLetter()
    {
        var id = NewId();
        var response = await Client.PostAsync("/question", Body(Question(id, correta: "B")));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"message":"Question created"}""", (await response.JsonAsync()).ToJsonString());

        var read = await Client.GetAsync($"/question/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        var expected = Question(id, correta: "b");
        Assert.Equal(JsonNode.Parse(JsonSerializer.Serialize(expected))!.ToJsonString(), (await read.JsonAsync()).ToJsonString());
        Assert.Contains("matemática", await read.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task CorrectAlternativeMayBeTheTextOfAnAlternative()
    {
        var id = NewId();
        await CreateQuestionAsync(id, correta: "22");
        Assert.Equal("22", (string)(await (await Client.GetAsync($"/question/{id}")).JsonAsync())["alternativa_correta"]!);
        var usuario = NewUser();
        Assert.True(await CreateAnswerAsync(id, usuario, 1, "d"));
        Assert.True(await CreateAnswerAsync(id, usuario, 2, "22"));
        Assert.False(await CreateAnswerAsync(id, usuario, 3, "b"));
    }

    [Fact]
    public async Task ExistingQuestionIdIs400AndKeepsTheFirst()
    {
        var id = NewId();
        await CreateQuestionAsync(id);
        var again = Question(id);
        again["assunto"] = "other";
        await AssertDetailAsync(await Client.PostAsync("/question", Body(again)), HttpStatusCode.BadRequest, "Question already exists");
        Assert.Equal("matemática", (string)(await (await Client.GetAsync($"/question/{id}")).JsonAsync())["assunto"]!);
    }

    [Fact]
    public async Task IntegerFieldsAcceptIntegralStringsAndStringFieldsAcceptNumbers()
    {
        var id = NewId();
        var body = Question(id);
        body["question_id"] = id.ToString();
        body["alternativa_a"] = 3;
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync("/question", Body(body))).StatusCode);
        Assert.Equal("3", (string)(await (await Client.GetAsync($"/question/{id}")).JsonAsync())["alternativa_a"]!);
    }

    public static TheoryData<string, string[]> InvalidQuestions() => new()
    {
        { """{"question_text":"q","alternativa_a":"a","alternativa_b":"b","alternativa_c":"c","alternativa_d":"d","alternativa_correta":"a","dificuldade":"x","assunto":"y"}""", ["body.question_id:value_error.missing"] },
        { """{"question_id":"one","question_text":"q","alternativa_a":"a","alternativa_b":"b","alternativa_c":"c","alternativa_d":"d","alternativa_correta":"a","dificuldade":"x","assunto":"y"}""", ["body.question_id:type_error.integer"] },
        { """{"question_id":1.5,"question_text":"q","alternativa_a":"a","alternativa_b":"b","alternativa_c":"c","alternativa_d":"d","alternativa_correta":"a","dificuldade":"x","assunto":"y"}""", ["body.question_id:type_error.integer"] },
        { """{"question_id":0,"question_text":"q","alternativa_a":"a","alternativa_b":"b","alternativa_c":"c","alternativa_d":"d","alternativa_correta":"a","dificuldade":"x","assunto":"y"}""", ["body.question_id:value_error"] },
        { """{"question_id":1,"question_text":null,"alternativa_a":["a"],"alternativa_b":"b","alternativa_c":"c","alternativa_d":"d","alternativa_correta":"a","dificuldade":true,"assunto":"y"}""", ["body.question_text:type_error.none.not_allowed", "body.alternativa_a:type_error.str", "body.dificuldade:type_error.str"] },
        { """{"question_id":1,"question_text":"  ","alternativa_a":"a","alternativa_b":"b","alternativa_c":"c","alternativa_d":"d","alternativa_correta":"e","dificuldade":"x","assunto":"y"}""", ["body.question_text:value_error", "body.alternativa_correta:value_error"] },
        { "{\"question_id\":1,\"question_text\":\"" + new string('q', 2001) + "\",\"alternativa_a\":\"a\",\"alternativa_b\":\"b\",\"alternativa_c\":\"c\",\"alternativa_d\":\"d\",\"alternativa_correta\":\"a\",\"dificuldade\":\"x\",\"assunto\":\"y\"}", ["body.question_text:value_error"] },
        { """{"question_id":1,"question_text":"q","alternativa_a":"same","alternativa_b":"same","alternativa_c":"c","alternativa_d":"d","alternativa_correta":"same","dificuldade":"x","assunto":"y"}""", ["body.alternativa_correta:value_error"] },
        { "{\"question_id\": 1,", ["body.17:value_error.jsondecode"] },
        { "", ["body:value_error.missing"] },
        { "[1,2]", ["body:type_error.dict"] },
        { "\"text\"", ["body:type_error.dict"] },
    };

    [Theory]
    [MemberData(nameof(InvalidQuestions))]
    public async Task InvalidQuestionIs422WithFieldErrors(string body, string[] errors)
    {
        await Client.DeleteAsync("/question/1");
        var response = await Client.PostAsync("/question", Http.Json(body));
        Assert.Equal(errors.Order(), (await AssertValidationAsync(response)).Order());
        await AssertDetailAsync(await Client.GetAsync("/question/1"), HttpStatusCode.NotFound, "Question not found");
    }

    [Fact]
    public async Task BodyOverOneMebibyteIs413()
    {
        var body = Question(NewId());
        body["question_text"] = new string('x', 1024 * 1024 + 10);
        var response = await Client.PostAsync("/question", Body(body));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);

        // The same with a body of unknown length, read a few bytes at a time; a small one is read whole.
        var trickled = await Client.PostAsync("/question", Http.Trickled(JsonSerializer.Serialize(body)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, trickled.StatusCode);
        var id = NewId();
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync("/question", Http.Trickled(JsonSerializer.Serialize(Question(id))))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/question/{id}")).StatusCode);
    }

    [Fact]
    public async Task UnknownQuestionIs404AndNonIntegerIdIs422()
    {
        await AssertDetailAsync(await Client.GetAsync($"/question/{NewId()}"), HttpStatusCode.NotFound, "Question not found");
        await AssertDetailAsync(await Client.GetAsync("/question/0"), HttpStatusCode.NotFound, "Question not found");
        await AssertDetailAsync(await Client.DeleteAsync($"/question/{NewId()}"), HttpStatusCode.NotFound, "Question not found");
        Assert.Equal(["path.question_id:type_error.integer"], await AssertValidationAsync(await Client.GetAsync("/question/abc")));
        Assert.Equal(["path.question_id:type_error.integer"], await AssertValidationAsync(await Client.DeleteAsync("/question/1.5")));
    }

    [Fact]
    public async Task DeleteQuestionRemovesItOnceAndLogsIt()
    {
        var id = NewId();
        await CreateQuestionAsync(id);
        var response = await Client.SendAsync(HttpMethod.Delete, $"/question/{id}", null, ("X-Correlation-Id", "delete-" + id));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"message":"Question deleted"}""", (await response.JsonAsync()).ToJsonString());
        await AssertDetailAsync(await Client.GetAsync($"/question/{id}"), HttpStatusCode.NotFound, "Question not found");
        await AssertDetailAsync(await Client.DeleteAsync($"/question/{id}"), HttpStatusCode.NotFound, "Question not found");
        var logged = Assert.Single(await EventsAsync("delete_question", e => (string)e["key"]! == id.ToString()));
        Assert.Equal("delete-" + id, (string)logged["correlation_id"]!);
        Assert.Equal(id, (long)logged["content"]!["question_id"]!);
        Assert.Equal("questions", (string)logged["entity"]!);
    }

    [Fact]
    public async Task ListingIsOrderedByIdAndBulkDeleteCountsAndLogsOnce()
    {
        await Client.DeleteAsync("/questions");
        var ids = new long[] { 30, 2, 1000, 7 };
        foreach (var id in ids) await CreateQuestionAsync(id);

        var list = (await (await Client.GetAsync("/questions")).JsonAsync()).AsArray();
        Assert.Equal(ids.Order(), list.Select(q => (long)q!["question_id"]!));
        Assert.All(list, q => Assert.Equal(9, q!.AsObject().Count));

        var response = await Client.DeleteAsync("/questions");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"message":"4 questions deleted"}""", (await response.JsonAsync()).ToJsonString());
        Assert.Equal("[]", (await (await Client.GetAsync("/questions")).JsonAsync()).ToJsonString());
        var logged = await EventsAsync("delete_questions", e => (int)e["content"]!["count"]! == 4
            && e["content"]!["questions"]!.AsArray().Select(q => (long)q!["question_id"]!).SequenceEqual(ids.Order()));
        Assert.Single(logged);
        Assert.Equal("""{"message":"0 questions deleted"}""", (await (await Client.DeleteAsync("/questions")).JsonAsync()).ToJsonString());
    }

    [Fact]
    public async Task AnswerIsJudgedWhenRecordedAndListedWithItsVerdict()
    {
        var id = NewId();
        await CreateQuestionAsync(id, correta: "b");
        var usuario = NewUser();
        var right = await Client.PostAsync("/answer", Body(Answer(id, usuario, 1, "B")));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
        Assert.Equal("""{"message":"Answer created","is_correct":true}""", (await right.JsonAsync()).ToJsonString());
        Assert.False(await CreateAnswerAsync(id, usuario, 2, "c"));
        Assert.True(await CreateAnswerAsync(id, usuario, 3, "4"));

        var listed = (await (await Client.GetAsync($"/answers?usuario={usuario}")).JsonAsync()).AsArray();
        Assert.Equal([1L, 2L, 3L], listed.Select(a => (long)a!["nro_tentativa"]!));
        Assert.Equal([true, false, true], listed.Select(a => (bool)a!["is_correct"]!));
        Assert.Equal(
            JsonNode.Parse(JsonSerializer.Serialize(new Dictionary<string, object?>(Answer(id, usuario, 1, "B")) { ["is_correct"] = true }))!.ToJsonString(),
            listed[0]!.ToJsonString());
        var logged = Assert.Single(await EventsAsync("create_answer", e => (string)e["key"]! == $"{usuario}/{id}/1"));
        Assert.True((bool)logged["content"]!["is_correct"]!);
    }

    [Fact]
    public async Task SameAttemptAgainIs400AndUnknownQuestionIs404()
    {
        var id = NewId();
        await CreateQuestionAsync(id);
        var usuario = NewUser();
        await CreateAnswerAsync(id, usuario, 1);
        await AssertDetailAsync(await Client.PostAsync("/answer", Body(Answer(id, usuario, 1, "a"))), HttpStatusCode.BadRequest, "Answer already exists");
        await AssertDetailAsync(await Client.PostAsync("/answer", Body(Answer(NewId(), usuario, 1))), HttpStatusCode.NotFound, "Question not found");
        Assert.True((bool)(await (await Client.GetAsync($"/answers?usuario={usuario}")).JsonAsync()).AsArray().Single()!["is_correct"]!);
    }

    public static TheoryData<string, string[]> InvalidAnswers() => new()
    {
        { """{"alternativa_escolhida":"a","datahora":"2025-05-01T10:00:00Z","usuario":"ana"}""", ["body.question_id:value_error.missing", "body.nro_tentativa:value_error.missing"] },
        { """{"question_id":1,"alternativa_escolhida":"a","datahora":"amanhã","usuario":"ana","nro_tentativa":1}""", ["body.datahora:value_error"] },
        { """{"question_id":1,"alternativa_escolhida":"a","datahora":"2025-05-01T10:00:00Z","usuario":"a/b","nro_tentativa":0}""", ["body.usuario:value_error", "body.nro_tentativa:value_error"] },
        { """{"question_id":1,"alternativa_escolhida":"","datahora":"2025-05-01T10:00:00Z","usuario":" ","nro_tentativa":"x"}""", ["body.nro_tentativa:type_error.integer"] },
        { """{"question_id":1,"alternativa_escolhida":"","datahora":"2025-05-01T10:00:00Z","usuario":" ","nro_tentativa":1}""", ["body.alternativa_escolhida:value_error", "body.usuario:value_error"] },
        { "not json", ["body.1:value_error.jsondecode"] },
    };

    [Theory]
    [MemberData(nameof(InvalidAnswers))]
    public async Task InvalidAnswerIs422WithFieldErrors(string body, string[] errors)
        => Assert.Equal(errors.Order(), (await AssertValidationAsync(await Client.PostAsync("/answer", Http.Json(body)))).Order());

    [Fact]
    public async Task AnswersFilterByUserAndQuestionAndNonIntegerFilterIs422()
    {
        var (q1, q2) = (NewId(), NewId());
        await CreateQuestionAsync(q1);
        await CreateQuestionAsync(q2);
        var (ana, bia) = (NewUser(), NewUser());
        await CreateAnswerAsync(q1, ana, 1);
        await CreateAnswerAsync(q2, ana, 1);
        await CreateAnswerAsync(q1, bia, 1);
        await CreateAnswerAsync(q1, bia, 2);

        async Task<string[]> Keys(string query) => (await (await Client.GetAsync("/answers" + query)).JsonAsync()).AsArray()
            .Select(a => $"{a!["usuario"]}/{a["question_id"]}/{a["nro_tentativa"]}").ToArray();
        Assert.Equal(new[] { (q1, $"{ana}/{q1}/1"), (q2, $"{ana}/{q2}/1") }.OrderBy(x => x.Item1).Select(x => x.Item2), await Keys($"?usuario={ana}"));
        Assert.Equal(new[] { $"{ana}/{q1}/1", $"{bia}/{q1}/1", $"{bia}/{q1}/2" }.Order(StringComparer.Ordinal), await Keys($"?question_id={q1}"));
        Assert.Equal([$"{bia}/{q1}/1", $"{bia}/{q1}/2"], await Keys($"?usuario={bia}&question_id={q1}"));
        Assert.Empty(await Keys($"?usuario={bia}&question_id={q2}"));

        // Unfiltered: everything, ordered by usuario (ordinal), then question id, then attempt number.
        var all = (await (await Client.GetAsync("/answers")).JsonAsync()).AsArray()
            .Select(a => ((string)a!["usuario"]!, (long)a["question_id"]!, (long)a["nro_tentativa"]!)).ToArray();
        Assert.Equal(4, all.Count(a => a.Item1 == ana || a.Item1 == bia));
        var sorted = all.OrderBy(a => a.Item1, StringComparer.Ordinal).ThenBy(a => a.Item2).ThenBy(a => a.Item3).ToArray();
        Assert.Equal(sorted, all);
        Assert.Equal(["query.question_id:type_error.integer"], await AssertValidationAsync(await Client.GetAsync("/answers?question_id=abc")));
    }

    [Fact]
    public async Task DeletingAQuestionKeepsItsAnswersReadable()
    {
        var id = NewId();
        await CreateQuestionAsync(id, correta: "a");
        var usuario = NewUser();
        await CreateAnswerAsync(id, usuario, 1, "a");
        await CreateAnswerAsync(id, usuario, 2, "b");
        Assert.Equal(HttpStatusCode.OK, (await Client.DeleteAsync($"/question/{id}")).StatusCode);
        var kept = (await (await Client.GetAsync($"/answers?question_id={id}")).JsonAsync()).AsArray();
        Assert.Equal([true, false], kept.Select(a => (bool)a!["is_correct"]!));
        await AssertDetailAsync(await Client.PostAsync("/answer", Body(Answer(id, usuario, 3, "a"))), HttpStatusCode.NotFound, "Question not found");
    }

    [Fact]
    public async Task DeleteAnswersCountsAndLogsOnceAndKeepsQuestions()
    {
        await Client.DeleteAsync("/answers");
        var id = NewId();
        await CreateQuestionAsync(id);
        var usuario = NewUser();
        for (var n = 1; n <= 5; n++) await CreateAnswerAsync(id, usuario, n, n % 2 == 0 ? "b" : "c");

        var response = await Client.DeleteAsync("/answers");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("""{"message":"5 answers deleted"}""", (await response.JsonAsync()).ToJsonString());
        Assert.Equal("[]", (await (await Client.GetAsync("/answers")).JsonAsync()).ToJsonString());
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync($"/question/{id}")).StatusCode);
        var logged = Assert.Single(await EventsAsync("delete_answers", e => e["content"]!["answers"]!.AsArray().Any(a => (string)a!["usuario"]! == usuario)));
        Assert.Equal(5, (int)logged["content"]!["count"]!);
        Assert.Equal([false, true, false, true, false], logged["content"]!["answers"]!.AsArray().Select(a => (bool)a!["is_correct"]!));

        // The same attempt can be recorded again after the delete.
        await CreateAnswerAsync(id, usuario, 1);
        Assert.Equal(0, (int)(await (await Client.GetAsync($"/users/{usuario}/score")).JsonAsync())["correct_answers"]! - 1);
    }

    [Fact]
    public async Task ScoreCountsAttemptsCorrectAnswersDistinctQuestionsAndAccuracy()
    {
        var (q1, q2, q3) = (NewId(), NewId(), NewId());
        foreach (var q in new[] { q1, q2, q3 }) await CreateQuestionAsync(q, correta: "c");
        var usuario = "José " + NewUser();
        await CreateAnswerAsync(q1, usuario, 1, "a");
        await CreateAnswerAsync(q1, usuario, 2, "c");
        await CreateAnswerAsync(q1, usuario, 3, "c");
        await CreateAnswerAsync(q2, usuario, 1, "c");
        await CreateAnswerAsync(q3, usuario, 1, "d");

        var response = await Client.GetAsync($"/users/{Uri.EscapeDataString(usuario)}/score");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var expected = new JsonObject
        {
            ["usuario"] = usuario,
            ["attempts"] = 5,
            ["correct_answers"] = 3,
            ["questions_answered_correctly"] = 2,
            ["accuracy"] = 0.6,
        };
        Assert.Equal(expected.ToJsonString(), (await response.JsonAsync()).ToJsonString());

        var nobody = await (await Client.GetAsync($"/users/{NewUser()}/score")).JsonAsync();
        Assert.Equal(0, (int)nobody["attempts"]!);
        Assert.Equal(0.0, (double)nobody["accuracy"]!);
        Assert.Equal(["path.usuario:value_error"], await AssertValidationAsync(await Client.GetAsync("/users/%20/score")));
    }

    [Fact]
    public async Task ConcurrentCreatesOfOneQuestionOverHttpHaveOneWinnerAndOneEvent()
    {
        var id = NewId();
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Client.PostAsync("/question", Body(Question(id)))));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(9, responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest));
        Assert.Single(await EventsAsync("create_question", e => (string)e["key"]! == id.ToString()));
    }

    [Fact]
    public async Task ConcurrentCreatesOfOneAttemptOverHttpHaveOneWinnerAndOneEvent()
    {
        var id = NewId();
        await CreateQuestionAsync(id);
        var usuario = NewUser();
        var responses = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => Client.PostAsync("/answer", Body(Answer(id, usuario, 1, i % 2 == 0 ? "b" : "a")))));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.Equal(9, responses.Count(r => r.StatusCode == HttpStatusCode.BadRequest));
        Assert.Single(await EventsAsync("create_answer", e => (string)e["key"]! == $"{usuario}/{id}/1"));
        Assert.Single((await (await Client.GetAsync($"/answers?usuario={usuario}")).JsonAsync()).AsArray());
    }
}
