using System.Net;
using System.Text.Json.Nodes;

namespace InMemoryDb.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class QueriesApiTests(ApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task DumpReturnsEveryRecordInIdOrder()
    {
        var table = Http.NewTable();
        var ids = Enumerable.Range(0, 40).Select(i => $"id{i:D2}").ToArray();
        foreach (var id in ids.Reverse()) await Client.CreateAsync(table, new { id, n = 1 });
        var dump = (await (await Client.GetAsync($"/api/v1/dump/{table}")).JsonAsync()).AsArray();
        Assert.Equal(ids, dump.Select(r => (string)r!["id"]!));
    }

    [Fact]
    public async Task DumpPagesWithLimitAfterAndALinkHeader()
    {
        var table = Http.NewTable();
        for (var i = 0; i < 25; i++) await Client.CreateAsync(table, new { id = $"r{i:D2}" });
        var seen = new List<string>();
        var url = $"/api/v1/dump/{table}?limit=10";
        var pages = 0;
        while (url is not null)
        {
            var response = await Client.GetAsync(url);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            seen.AddRange((await response.JsonAsync()).AsArray().Select(r => (string)r!["id"]!));
            url = response.Headers.TryGetValues("Link", out var links)
                ? links.Single().Split(';')[0].Trim('<', '>')
                : null;
            pages++;
        }
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"r{i:D2}"), seen);

        var afterPage = await (await Client.GetAsync($"/api/v1/dump/{table}?after=r22")).JsonAsync();
        Assert.Equal(["r23", "r24"], afterPage.AsArray().Select(r => (string)r!["id"]!));
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-1")]
    [InlineData("abc")]
    [InlineData("100001")]
    public async Task BadLimitIs400(string limit)
    {
        var table = Http.NewTable();
        await Client.CreateAsync(table, new { a = 1 });
        await (await Client.GetAsync($"/api/v1/dump/{table}?limit={limit}")).AssertProblemAsync(400);
    }

    [Fact]
    public async Task DumpOfUnknownTableIs404AndEmptyBuiltInIsArray()
    {
        await (await Client.GetAsync($"/api/v1/dump/{Http.NewTable()}")).AssertProblemAsync(404);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/api/v1/dump/orders")).StatusCode);
    }

    [Fact]
    public async Task TableThatLostAllItsRecordsStillExists()
    {
        var table = Http.NewTable();
        var id = (string)(await Client.CreateAsync(table, new { a = 1 }))["id"]!;
        await Client.DeleteAsync($"/api/v1/data/{table}/{id}");
        Assert.Equal("[]", await (await Client.GetAsync($"/api/v1/dump/{table}")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task JoinPairsEachOrderWithItsUser()
    {
        var ann = await Client.CreateUserAsync();
        var bob = await Client.CreateUserAsync();
        var annId = (string)ann["id"]!;
        var bobId = (string)bob["id"]!;
        var orders = new List<string>();
        foreach (var (user, product) in new[] { (annId, "A1"), (annId, "A2"), (bobId, "B1") })
        {
            orders.Add((string)(await Client.CreateAsync("orders", new { product_name = product, quantity = 1, total_price = 1.0, user_id = user }))["id"]!);
        }

        var pairs = (await (await Client.GetAsync("/api/v1/join/users/orders/user_id")).JsonAsync()).AsArray()
            .Where(p => orders.Contains((string)p!["orders"]!["id"]!)).ToArray();
        Assert.Equal(3, pairs.Length);
        Assert.All(pairs, p => Assert.Equal((string)p!["users"]!["id"]!, (string)p["orders"]!["data"]!["user_id"]!));
        Assert.Equal(2, pairs.Count(p => (string)p!["users"]!["id"]! == annId));
    }

    [Fact]
    public async Task JoinOnACommonFieldComparesTypedValues()
    {
        var left = Http.NewTable("l");
        var right = Http.NewTable("r");
        await Client.CreateAsync(left, new { id = "l1", k = 1 });
        await Client.CreateAsync(left, new { id = "l2", k = "1" });
        await Client.CreateAsync(left, new { id = "l3", k = (int?)null });
        await Client.CreateAsync(right, new { id = "r1", k = 1.0 });
        await Client.CreateAsync(right, new { id = "r2", k = "1" });
        await Client.CreateAsync(right, new { id = "r3", k = (int?)null });
        await Client.CreateAsync(right, new { id = "r4", other = 1 });

        var pairs = (await (await Client.GetAsync($"/api/v1/join/{left}/{right}/k")).JsonAsync()).AsArray()
            .Select(p => ((string)p![left]!["id"]!, (string)p[right]!["id"]!)).ToArray();
        Assert.Equal([("l1", "r1"), ("l2", "r2")], pairs);
    }

    [Fact]
    public async Task JoinErrorsAreClear()
    {
        var table = Http.NewTable();
        await Client.CreateAsync(table, new { a = 1 });
        await (await Client.GetAsync($"/api/v1/join/{table}/{Http.NewTable()}/a")).AssertProblemAsync(404);
        await (await Client.GetAsync($"/api/v1/join/{Http.NewTable()}/{table}/a")).AssertProblemAsync(404);
        await (await Client.GetAsync($"/api/v1/join/{table}/{table}/missing")).AssertProblemAsync(400);
        await (await Client.GetAsync($"/api/v1/join/{table}/{table}/bad-key!")).AssertProblemAsync(400);
        var self = (await (await Client.GetAsync($"/api/v1/join/{table}/{table}/a")).JsonAsync()).AsArray();
        Assert.Single(self);
        Assert.NotNull(self[0]![$"{table}_1"]);
        Assert.NotNull(self[0]![$"{table}_2"]);
    }

    [Fact]
    public async Task TablesListsExactCounts()
    {
        var table = Http.NewTable();
        var ids = new List<string>();
        for (var i = 0; i < 7; i++) ids.Add((string)(await Client.CreateAsync(table, new { i }))["id"]!);
        await Client.DeleteAsync($"/api/v1/data/{table}/{ids[0]}");
        var tables = (await (await Client.GetAsync("/api/v1/tables")).JsonAsync()).AsArray();
        var mine = tables.Single(t => (string)t!["name"]! == table)!;
        Assert.Equal(6, (long)mine["count"]!);
        Assert.Equal("schemaless", (string)mine["schema"]!);
        Assert.Contains(tables, t => (string)t!["name"]! == "users");
    }

    [Fact]
    public async Task EventsAreReadInOrderWithPaging()
    {
        var table = Http.NewTable();
        var id = (string)(await Client.CreateAsync(table, new { a = 1 }))["id"]!;
        await Client.PutAsync($"/api/v1/data/{table}/{id}", Http.Data(new { a = 2 }));
        await Client.SendAsync(HttpMethod.Delete, $"/api/v1/data/{table}/{id}", null, ("X-Correlation-Id", "delete-" + table));

        var mine = await Eventually.Poll(async () =>
            (await (await Client.GetAsync("/api/v1/events?after=0&limit=10000")).JsonAsync()).AsArray()
                .Where(e => (string)e!["entity"]! == table).ToArray(), events => events.Length >= 3);
        Assert.Equal(["create_record", "update_record", "delete_record"], mine.Select(e => (string)e!["method"]!));
        Assert.Equal("delete-" + table, (string)mine[2]!["correlation_id"]!);
        Assert.Equal(2, (int)mine[1]!["content"]!["data"]!["a"]!);

        var position = (long)mine[0]!["position"]!;
        var next = (await (await Client.GetAsync($"/api/v1/events?after={position}&limit=1")).JsonAsync()).AsArray();
        Assert.Single(next);
        Assert.True((long)next[0]!["position"]! > position);
    }

    [Theory]
    [InlineData("after=-1")]
    [InlineData("after=x")]
    [InlineData("limit=0")]
    [InlineData("limit=10001")]
    public async Task BadEventQueryIs400(string query)
        => await (await Client.GetAsync($"/api/v1/events?{query}")).AssertProblemAsync(400);

    [Fact]
    public async Task HealthIsReadyAndDocsDescribeEveryRoute()
    {
        var health = await (await Client.GetAsync("/health")).JsonAsync();
        Assert.Equal("ready", (string)health["status"]!);
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/docs/index.html")).StatusCode);

        var paths = (await (await Client.GetAsync("/openapi/v1.json")).JsonAsync())["paths"]!.AsObject().Select(p => p.Key).ToArray();
        foreach (var route in new[]
                 {
                     "/api/v1/data/{table}", "/api/v1/data/{table}/{id}", "/api/v1/dump/{table}",
                     "/api/v1/join/{table1}/{table2}/{key}", "/api/v1/tables", "/api/v1/events", "/health",
                 })
        {
            Assert.Contains(route, paths);
        }
    }

    [Fact]
    public async Task UnknownRouteIs404ProblemDetails()
        => await (await Client.GetAsync("/api/v1/nothing-here")).AssertProblemAsync(404);
}
