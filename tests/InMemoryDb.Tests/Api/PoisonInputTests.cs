using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace InMemoryDb.Tests.Api;

/// <summary>
/// Values that were accepted once and then broke the service for good (events that could never be stored, partitions
/// that could not load, log pages no reader could parse, a key frozen by its timestamp), and requests that answered
/// 500: each is refused up front now with a 4xx naming the field, and leaves nothing behind.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class PoisonInputTests(ApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    [Theory]
    [InlineData("""{"data":{"name":"a\u0000b"}}""", "name")]
    [InlineData("""{"data":{"na\u0000me":1}}""", "data")]
    [InlineData("""{"data":{"list":[1,{"deep":"\u0000"}]}}""", "list[1].deep")]
    [InlineData("""{"data":{"n":1e200000}}""", "n")]
    [InlineData("""{"data":{"n":-1e400}}""", "n")]
    [InlineData("""{"data":{"n":1e-400}}""", "n")]
    public async Task SchemalessValuesPostgresCannotHoldAre422NamingTheFieldAndStoreNothing(string body, string field)
    {
        var table = Http.NewTable();
        var response = await Client.PostAsync($"/api/v1/data/{table}", Http.Json(body.Replace("{\"data\":{", "{\"data\":{\"id\":\"x\",", StringComparison.Ordinal)));
        var problem = await response.AssertProblemAsync(422);
        Assert.NotNull(problem["errors"]![field]);
        await (await Client.GetAsync($"/api/v1/data/{table}/x")).AssertProblemAsync(404);
        Assert.Empty(await Client.EventsAsync(e => (string)e["entity"]! == table));
    }

    [Fact]
    public async Task UpdatesArePoisonCheckedToo()
    {
        var table = Http.NewTable();
        await Client.CreateAsync(table, new { id = "r", v = 1 });
        await (await Client.PutAsync($"/api/v1/data/{table}/r", Http.Json("""{"data":{"v":"\u0000"}}"""))).AssertProblemAsync(422);
        await (await Client.PutAsync($"/api/v1/data/{table}/r", Http.Json("""{"data":{"v":1e999}}"""))).AssertProblemAsync(422);
        var read = await (await Client.GetAsync($"/api/v1/data/{table}/r")).JsonAsync();
        Assert.Equal(1, (long)read["version"]!);
    }

    [Fact]
    public async Task NulIsRefusedInUsersQuestionsAnswersAndPeople()
    {
        var users = await Client.PostAsync("/api/v1/data/users", Http.Json($$$$"""{"data":{"email":"n{{{{Guid.NewGuid():N}}}}@example.com","full_name":"A\u0000B","password":"12345678"}}"""));
        Assert.NotNull((await users.AssertProblemAsync(422))["errors"]!["full_name"]);

        var questionId = Random.Shared.NextInt64(10_000_000, 90_000_000);
        var question = await Client.PostAsync("/question", Http.Json($$$$"""{"question_id":{{{{questionId}}}},"question_text":"Q\u0000?","alternativa_a":"a","alternativa_b":"b","alternativa_c":"c","alternativa_d":"d","alternativa_correta":"a","dificuldade":"x","assunto":"y"}"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, question.StatusCode);
        Assert.Contains("question_text", await question.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync($"/question/{questionId}")).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsync("/question", Http.Json($$$$"""{"question_id":{{{{questionId}}}},"question_text":"Q?","alternativa_a":"a","alternativa_b":"b","alternativa_c":"c","alternativa_d":"d","alternativa_correta":"a","dificuldade":"x","assunto":"y"}"""))).StatusCode);
        var usuario = "poison" + Guid.NewGuid().ToString("N")[..8];
        var answer = await Client.PostAsync("/answer", Http.Json($$$$"""{"question_id":{{{{questionId}}}},"alternativa_escolhida":"a\u0000","datahora":"2025-05-01T10:00:00Z","usuario":"{{{{usuario}}}}","nro_tentativa":1}"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, answer.StatusCode);
        Assert.Contains("alternativa_escolhida", await answer.Content.ReadAsStringAsync());
        Assert.Equal("[]", (await (await Client.GetAsync($"/answers?usuario={usuario}")).JsonAsync()).ToJsonString());

        foreach (var body in new[]
        {
            $$$$"""{"apelido":"p\u0000{{{{Guid.NewGuid().ToString("N")[..8]}}}}","nome":"Nome","nascimento":"2000-01-01","stack":null}""",
            $$$$"""{"apelido":"p{{{{Guid.NewGuid().ToString("N")[..8]}}}}","nome":"No\u0000me","nascimento":"2000-01-01","stack":null}""",
            $$$$"""{"apelido":"p{{{{Guid.NewGuid().ToString("N")[..8]}}}}","nome":"Nome","nascimento":"2000-01-01","stack":["C\u0000"]}""",
        })
        {
            var pessoa = await Client.PostAsync("/pessoas", Http.Json(body));
            await pessoa.AssertProblemAsync(422);
        }
    }

    [Fact]
    public async Task NestingBeyondTheLimitIs400AndTheDeepestAcceptedRecordKeepsTheLogReadable()
    {
        static string Nested(int levels) => string.Concat(Enumerable.Repeat("{\"a\":", levels - 1)) + "{}" + new string('}', levels - 1);
        var table = Http.NewTable();
        foreach (var levels in new[] { InputLimits.MaxDepth + 1, 60, 62 })
        {
            await (await Client.PostAsync($"/api/v1/data/{table}", Http.Json($"{{\"data\":{Nested(levels)}}}"))).AssertProblemAsync(400);
        }
        var created = await Client.CreateAsync(table, JsonNode.Parse(Nested(InputLimits.MaxDepth))!);
        var id = (string)created["id"]!;

        // Every page of the log that holds its event reads back, through a reader with the default depth limit (64).
        var events = await Client.EventsAsync(e => (string)e["entity"]! == table);
        var logged = Assert.Single(events);
        Assert.Equal(id, (string)logged["key"]!);
        var page = await Client.GetAsync($"/api/v1/events?after={(long)logged["position"]! - 1}&limit=1");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.NotNull(System.Text.Json.JsonDocument.Parse(await page.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task AKeyValueTimestampAtTheEndOfTheCalendarIsRefusedAndTheKeyStaysWritable()
    {
        var key = "edge-" + Guid.NewGuid().ToString("N");
        var put = await Client.PutAsync("/api", Http.Json($$$$"""{"key":"{{{{key}}}}","value":"v","timestamp":"9999-12-31T23:59:59.9999999Z"}"""));
        Assert.NotNull((await put.AssertProblemAsync(422))["errors"]!["timestamp"]);
        await (await Client.DeleteAsync($"/api?key={key}&timestamp=9999-12-31T23:59:59.9999999Z")).AssertProblemAsync(400);

        var latest = await Client.PutAsync("/api", Http.Json($$$$"""{"key":"{{{{key}}}}","value":"last","timestamp":"9999-12-30T23:59:59.9999999Z"}"""));
        Assert.Equal(HttpStatusCode.OK, latest.StatusCode);
        // A write without a timestamp still gets one after the latest accepted: the key is not frozen.
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsync("/api", Http.Json($$$$"""{"key":"{{{{key}}}}","value":"next"}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Client.DeleteAsync($"/api?key={key}")).StatusCode);
    }

    [Theory]
    [InlineData("users%0A")]
    [InlineData("users%0a")]
    [InlineData("users%0D%0A")]
    [InlineData("users%20")]
    public async Task TableNamesWithATrailingNewlineAreRefused(string table)
    {
        var response = await Client.PostAsync($"/api/v1/data/{table}", Http.Json("""{"data":{"password":"plain text secret"}}"""));
        await response.AssertProblemAsync(400);
        Assert.DoesNotContain("plain text secret", await (await Client.GetAsync("/api/v1/events?limit=10000")).Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("""{"data":{"a":1,"a":2}}""")]
    [InlineData("""{"data":{"o":{"x":1,"x":2}}}""")]
    [InlineData("""{"data":{"id":"\ud800x"}}""")]
    [InlineData("""{"data":{"v":"\udc00"}}""")]
    public async Task DuplicateKeysAndUnpairedSurrogatesAre400OnTheTablesRoutes(string body)
    {
        var table = Http.NewTable();
        await (await Client.PostAsync($"/api/v1/data/{table}", Http.Json(body))).AssertProblemAsync(400);
        await Client.CreateAsync(table, new { id = "r" });
        await (await Client.PutAsync($"/api/v1/data/{table}/r", Http.Json(body))).AssertProblemAsync(400);
    }

    [Fact]
    public async Task InvalidUtf8InsideAStringIs400()
    {
        var bytes = Encoding.UTF8.GetBytes("""{"data":{"v":"xy"}}""");
        bytes[15] = 0xFF;
        var response = await Client.PostAsync($"/api/v1/data/{Http.NewTable()}", Http.Raw(bytes));
        var problem = await response.AssertProblemAsync(400);
        Assert.StartsWith("v must be valid Unicode", (string)problem["detail"]!);
    }

    [Theory]
    [InlineData("/api/v1/tables")]
    [InlineData("/questions")]
    [InlineData("/contagem-pessoas")]
    [InlineData("/health")]
    [InlineData("/api/all?limit=1")]
    public async Task HeadIsAnsweredWhereverGetIs(string path)
    {
        var get = await Client.GetAsync(path);
        var head = await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task HeadOfAMissingRecordIs404()
        => Assert.Equal(HttpStatusCode.NotFound, (await Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, $"/api/v1/data/{Http.NewTable()}/x"))).StatusCode);
}
