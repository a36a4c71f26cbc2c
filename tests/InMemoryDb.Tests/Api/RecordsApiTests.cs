using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace InMemoryDb.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class RecordsApiTests(ApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task CreateReturns201WithLocationAndRecordShape()
    {
        var table = Http.NewTable();
        var response = await Client.PostAsync($"/api/v1/data/{table}", Http.Data(new { name = "José", nested = new { a = new[] { 1, 2 } } }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.JsonAsync();
        var id = (string)body["id"]!;
        Assert.True(Guid.TryParse(id, out _));
        Assert.Equal($"/api/v1/data/{table}/{id}", response.Headers.Location!.OriginalString);
        Assert.Equal("\"1\"", response.ETag());
        Assert.Equal(table, (string)body["table"]!);
        Assert.Equal("José", (string)body["data"]!["name"]!);
        Assert.Equal(1, (long)body["version"]!);
        Assert.Equal((string)body["created_at"]!, (string)body["updated_at"]!);
        Assert.Equal(["created_at", "data", "id", "table", "updated_at", "version"], body.AsObject().Select(p => p.Key).Order());
        Assert.Contains("José", await response.Content.ReadAsStringAsync());

        var read = await Client.GetAsync(response.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(body.ToJsonString(), (await read.JsonAsync()).ToJsonString());
    }

    [Fact]
    public async Task GivenStringIdIsUsedAndDuplicateIs409()
    {
        var table = Http.NewTable();
        var first = await Client.PostAsync($"/api/v1/data/{table}", Http.Data(new { id = "abc", v = 1 }));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal("abc", (string)(await first.JsonAsync())["id"]!);
        var second = await Client.PostAsync($"/api/v1/data/{table}", Http.Data(new { id = "abc", v = 2 }));
        await second.AssertProblemAsync(409);
        Assert.Equal(1, (int)(await (await Client.GetAsync($"/api/v1/data/{table}/abc")).JsonAsync())["data"]!["v"]!);
    }

    [Theory]
    [InlineData("""{"data":{"id":5}}""")]
    [InlineData("""{"data":{"id":""}}""")]
    [InlineData("""{"data":{"id":"a/b"}}""")]
    public async Task BadIdIs422(string body)
    {
        var response = await Client.PostAsync($"/api/v1/data/{Http.NewTable()}", Http.Json(body));
        var problem = await response.AssertProblemAsync(422);
        Assert.NotNull(problem["errors"]!["id"]);
    }

    [Theory]
    [InlineData("Users")]
    [InlineData("1table")]
    [InlineData("bad-name")]
    [InlineData("a234567890123456789012345678901234567890123456789012345678901234")]
    public async Task InvalidTableNameIs400EverywhereAndChangesNothing(string table)
    {
        await (await Client.PostAsync($"/api/v1/data/{table}", Http.Data(new { a = 1 }))).AssertProblemAsync(400);
        await (await Client.GetAsync($"/api/v1/data/{table}/x")).AssertProblemAsync(400);
        await (await Client.PutAsync($"/api/v1/data/{table}/x", Http.Data(new { a = 1 }))).AssertProblemAsync(400);
        await (await Client.DeleteAsync($"/api/v1/data/{table}/x")).AssertProblemAsync(400);
        await (await Client.GetAsync($"/api/v1/dump/{table}")).AssertProblemAsync(400);
        await (await Client.GetAsync($"/api/v1/join/{table}/users/id")).AssertProblemAsync(400);
        var tables = await (await Client.GetAsync("/api/v1/tables")).JsonAsync();
        Assert.DoesNotContain(tables.AsArray(), t => (string)t!["name"]! == table);
    }

    [Theory]
    [InlineData("{bad json")]
    [InlineData("[1,2]")]
    [InlineData("""{"data":[1]}""")]
    [InlineData("""{"data":"x"}""")]
    [InlineData("""{"data":null}""")]
    [InlineData("""{"other":{}}""")]
    [InlineData("")]
    public async Task MalformedBodyIs400AndCreatesNothing(string body)
    {
        var table = Http.NewTable();
        await (await Client.PostAsync($"/api/v1/data/{table}", Http.Json(body))).AssertProblemAsync(400);
        await (await Client.GetAsync($"/api/v1/dump/{table}")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task NonJsonContentTypeIs415()
    {
        var response = await Client.PostAsync($"/api/v1/data/{Http.NewTable()}", new StringContent("""{"data":{}}""", Encoding.UTF8, "text/plain"));
        await response.AssertProblemAsync(415);
    }

    [Fact]
    public async Task BodyOverOneMebibyteIs413()
    {
        var big = "{\"data\":{\"blob\":\"" + new string('x', 1024 * 1024) + "\"}}";
        var table = Http.NewTable();
        await (await Client.PostAsync($"/api/v1/data/{table}", Http.Json(big))).AssertProblemAsync(413);
        await (await Client.GetAsync($"/api/v1/dump/{table}")).AssertProblemAsync(404);

        var almost = "{\"data\":{\"blob\":\"" + new string('x', 1024 * 1000) + "\"}}";
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsync($"/api/v1/data/{table}", Http.Json(almost))).StatusCode);
    }

    [Fact]
    public async Task BodyOfUnknownLengthIsReadWholeAndLimitedToOneMebibyte()
    {
        var table = Http.NewTable();
        var created = await Client.PostAsync($"/api/v1/data/{table}", Http.Trickled("{\"data\":{\"name\":\"trickled\",\"tags\":[\"a\",\"b\"]}}"));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var record = await created.JsonAsync();
        Assert.Equal("trickled", (string?)record["data"]!["name"]);
        Assert.Equal(2, record["data"]!["tags"]!.AsArray().Count);

        var big = "{\"data\":{\"blob\":\"" + new string('x', 1024 * 1024) + "\"}}";
        await (await Client.PostAsync($"/api/v1/data/{table}", Http.Trickled(big))).AssertProblemAsync(413);
        var dump = await (await Client.GetAsync($"/api/v1/dump/{table}")).JsonAsync();
        Assert.Single(dump.AsArray());
    }

    [Fact]
    public async Task OneMebibyteExactlyIsAcceptedWithOrWithoutALength()
    {
        static string Body(int size)
        {
            const string head = "{\"data\":{\"blob\":\"", tail = "\"}}";
            return head + new string('x', size - head.Length - tail.Length) + tail;
        }
        var table = Http.NewTable();
        var limit = Body(1024 * 1024);
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsync($"/api/v1/data/{table}", Http.Json(limit))).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await Client.PostAsync($"/api/v1/data/{table}", Http.Trickled(limit))).StatusCode);

        var over = Body(1024 * 1024 + 1);
        await (await Client.PostAsync($"/api/v1/data/{table}", Http.Json(over))).AssertProblemAsync(413);
        await (await Client.PostAsync($"/api/v1/data/{table}", Http.Trickled(over))).AssertProblemAsync(413);
        var dump = await (await Client.GetAsync($"/api/v1/dump/{table}")).JsonAsync();
        Assert.Equal(2, dump.AsArray().Count);

        // Their events are too large for the event stream's 1 MiB blocks: they reach the event log all the same,
        // and do not stall the events behind them.
        var logged = await Eventually.Poll(() => Client.EventsAsync(e => (string)e["entity"]! == table), events => events.Length >= 2);
        Assert.Equal(["create_record", "create_record"], logged.Select(e => (string)e["method"]!));
        var small = Http.NewTable();
        await Client.CreateAsync(small, new { after = "large" });
        await Eventually.Poll(() => Client.EventsAsync(e => (string)e["entity"]! == small), events => events.Length == 1);
    }

    [Fact]
    public async Task ALargeChangeAfterASmallOneIsLoggedAfterIt()
    {
        var table = Http.NewTable();
        var id = (string)(await Client.CreateAsync(table, new { small = true }))["id"]!;
        var large = "{\"data\":{\"blob\":\"" + new string('y', 1000 * 1024) + "\"}}";
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsync($"/api/v1/data/{table}/{id}", Http.Json(large))).StatusCode);
        await Client.PutAsync($"/api/v1/data/{table}/{id}", Http.Data(new { small = false }));

        var logged = await Eventually.Poll(() => Client.EventsAsync(e => (string)e["entity"]! == table), events => events.Length >= 3, TimeSpan.FromSeconds(30));
        Assert.Equal(["create_record", "update_record", "update_record"], logged.Select(e => (string)e["method"]!));
        Assert.Equal(1000 * 1024, ((string?)logged[1]["content"]!["data"]!["blob"])!.Length);
        Assert.False((bool)logged[2]["content"]!["data"]!["small"]!);
    }

    [Fact]
    public async Task DeeplyNestedJsonIs400()
    {
        var deep = """{"data":""" + string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100) + "}";
        await (await Client.PostAsync($"/api/v1/data/{Http.NewTable()}", Http.Json(deep))).AssertProblemAsync(400);
    }

    [Fact]
    public async Task MissingRecordIs404ForGetPutDelete()
    {
        var table = Http.NewTable();
        await Client.CreateAsync(table, new { a = 1 });
        await (await Client.GetAsync($"/api/v1/data/{table}/nope")).AssertProblemAsync(404);
        await (await Client.PutAsync($"/api/v1/data/{table}/nope", Http.Data(new { a = 1 }))).AssertProblemAsync(404);
        await (await Client.DeleteAsync($"/api/v1/data/{table}/nope")).AssertProblemAsync(404);
        await (await Client.GetAsync("/api/v1/data/never_existed/nope")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task GetHonoursIfNoneMatch()
    {
        var table = Http.NewTable();
        var id = (string)(await Client.CreateAsync(table, new { a = 1 }))["id"]!;
        var notModified = await Client.SendAsync(HttpMethod.Get, $"/api/v1/data/{table}/{id}", null, ("If-None-Match", "\"1\""));
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        var changed = await Client.SendAsync(HttpMethod.Get, $"/api/v1/data/{table}/{id}", null, ("If-None-Match", "\"0\""));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
    }

    [Fact]
    public async Task PutMergesFieldsLikeTheSeedExample()
    {
        var user = await Client.CreateUserAsync();
        var id = (string)user["id"]!;
        var response = await Client.PutAsync($"/api/v1/data/users/{id}", Http.Data(new { full_name = "John Smith Doe" }));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("John Smith Doe", (string)body["data"]!["full_name"]!);
        Assert.Equal((string)user["data"]!["email"]!, (string)body["data"]!["email"]!);
        Assert.Equal(30, (int)body["data"]!["age"]!);
        Assert.Equal(2, (long)body["version"]!);
        Assert.Equal("\"2\"", response.ETag());
        Assert.Null(body["data"]!["password"]);
    }

    [Fact]
    public async Task PutWithNullRemovesAFieldAndCannotChangeTheId()
    {
        var table = Http.NewTable();
        var id = (string)(await Client.CreateAsync(table, new { a = 1, b = 2 }))["id"]!;
        var removed = await (await Client.PutAsync($"/api/v1/data/{table}/{id}", Http.Json("""{"data":{"b":null}}"""))).JsonAsync();
        Assert.Equal("""{"a":1}""", removed["data"]!.ToJsonString());
        var problem = await (await Client.PutAsync($"/api/v1/data/{table}/{id}", Http.Data(new { id = "other" }))).AssertProblemAsync(422);
        Assert.NotNull(problem["errors"]!["id"]);
    }

    [Fact]
    public async Task StaleIfMatchIs412AndChangesNothing()
    {
        var table = Http.NewTable();
        var id = (string)(await Client.CreateAsync(table, new { a = 1 }))["id"]!;
        var ok = await Client.SendAsync(HttpMethod.Put, $"/api/v1/data/{table}/{id}", Http.Data(new { a = 2 }), ("If-Match", "\"1\""));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        await (await Client.SendAsync(HttpMethod.Put, $"/api/v1/data/{table}/{id}", Http.Data(new { a = 3 }), ("If-Match", "\"1\""))).AssertProblemAsync(412);
        await (await Client.SendAsync(HttpMethod.Put, $"/api/v1/data/{table}/{id}", Http.Data(new { a = 3 }), ("If-Match", "garbage"))).AssertProblemAsync(412);
        await (await Client.SendAsync(HttpMethod.Delete, $"/api/v1/data/{table}/{id}", null, ("If-Match", "\"1\""))).AssertProblemAsync(412);

        var read = await Client.GetAsync($"/api/v1/data/{table}/{id}");
        Assert.Equal("\"2\"", read.ETag());
        Assert.Equal(2, (int)(await read.JsonAsync())["data"]!["a"]!);
    }

    [Fact]
    public async Task DeleteIs204ThenGone()
    {
        var table = Http.NewTable();
        var id = (string)(await Client.CreateAsync(table, new { a = 1 }))["id"]!;
        var deleted = await Client.SendAsync(HttpMethod.Delete, $"/api/v1/data/{table}/{id}", null, ("If-Match", "\"1\""));
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        await (await Client.GetAsync($"/api/v1/data/{table}/{id}")).AssertProblemAsync(404);
        await (await Client.DeleteAsync($"/api/v1/data/{table}/{id}")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task ConcurrentCreatesWithOneIdOverHttpHaveOneWinner()
    {
        for (var round = 0; round < 10; round++)
        {
            var table = Http.NewTable();
            var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(i =>
                Client.PostAsync($"/api/v1/data/{table}", Http.Data(new { id = "same", i }))));
            Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        }
    }

    [Fact]
    public async Task ConcurrentUsersWithOneEmailOverHttpHaveOneWinner()
    {
        for (var round = 0; round < 10; round++)
        {
            var email = $"race{Guid.NewGuid():N}@example.com";
            var responses = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ =>
                Client.PostAsync("/api/v1/data/users", Http.Data(new { email, full_name = "R", password = "12345678" }))));
            Assert.Equal([HttpStatusCode.Created, HttpStatusCode.Conflict], responses.Select(r => r.StatusCode).Order());
        }
    }

    [Fact]
    public async Task CorrelationIdIsEchoedOrGenerated()
    {
        var given = await Client.SendAsync(HttpMethod.Get, "/api/v1/tables", null, ("X-Correlation-Id", "abc-123"));
        Assert.Equal("abc-123", given.Headers.GetValues("X-Correlation-Id").Single());
        var generated = await Client.GetAsync("/api/v1/tables");
        Assert.Equal(32, generated.Headers.GetValues("X-Correlation-Id").Single().Length);
    }
}
