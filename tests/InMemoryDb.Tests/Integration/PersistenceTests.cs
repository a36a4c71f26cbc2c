using System.Net;
using System.Text.Json.Nodes;
using Npgsql;

namespace InMemoryDb.Tests.Integration;

/// <summary>The persistent single node on a real PostgreSQL: everything acknowledged survives a full stop and restart.</summary>
public sealed class PersistenceTests
{
    [Fact]
    public async Task RecordsCountsUniquenessAndEventsSurviveRestart()
    {
        var serviceId = "restart-" + Guid.NewGuid().ToString("N")[..12];
        var table = Http.NewTable();
        var email = $"keep{Guid.NewGuid():N}@example.com";
        string userId, deletedId, updatedId;
        JsonNode[] eventsBefore;
        var ids = new List<string>();

        await using (var first = new ApiFactory(TestEnvironment.Postgres, serviceId))
        {
            var client = first.CreateClient();
            Assert.Equal("postgres", (string)(await (await client.GetAsync("/health")).JsonAsync())["storage"]!);
            userId = (string)(await client.CreateUserAsync(email))["id"]!;
            await client.CreateAsync("orders", new { product_name = "W", quantity = 3, total_price = 9.5, user_id = userId });
            for (var i = 0; i < 50; i++) ids.Add((string)(await client.CreateAsync(table, new { i, nested = new { ok = true } }))["id"]!);
            updatedId = ids[1];
            deletedId = ids[0];
            Assert.Equal(HttpStatusCode.OK, (await client.PutAsync($"/api/v1/data/{table}/{updatedId}", Http.Data(new { i = -1 }))).StatusCode);
            Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync($"/api/v1/data/{table}/{deletedId}")).StatusCode);
            eventsBefore = await Eventually.Poll(() => ReadEventsAsync(client), e => e.Length == 54);
        }

        await using var second = new ApiFactory(TestEnvironment.Postgres, serviceId);
        var again = second.CreateClient();

        // Creates under stored ids insert first (no read): the refused insert still answers 409, changes nothing,
        // and keeps the stored user's email reserved.
        await (await again.PostAsync("/api/v1/data/users", Http.Data(new { id = userId, email, full_name = "Same Id", password = "12345678" }))).AssertProblemAsync(409);
        await (await again.PostAsync($"/api/v1/data/{table}", Http.Data(new { id = ids[3], i = 99 }))).AssertProblemAsync(409);
        Assert.Equal(3, (int)(await (await again.GetAsync($"/api/v1/data/{table}/{ids[3]}")).JsonAsync())["data"]!["i"]!);

        var user = await (await again.GetAsync($"/api/v1/data/users/{userId}")).JsonAsync();
        Assert.Equal(email, (string)user["data"]!["email"]!);
        await (await again.GetAsync($"/api/v1/data/{table}/{deletedId}")).AssertProblemAsync(404);
        var updated = await again.GetAsync($"/api/v1/data/{table}/{updatedId}");
        Assert.Equal("\"2\"", updated.ETag());
        Assert.Equal(-1, (int)(await updated.JsonAsync())["data"]!["i"]!);

        var tables = (await (await again.GetAsync("/api/v1/tables")).JsonAsync()).AsArray();
        Assert.Equal(49, (long)tables.Single(t => (string)t!["name"]! == table)!["count"]!);
        Assert.Equal(1, (long)tables.Single(t => (string)t!["name"]! == "users")!["count"]!);
        Assert.Equal(1, (long)tables.Single(t => (string)t!["name"]! == "orders")!["count"]!);
        var dump = (await (await again.GetAsync($"/api/v1/dump/{table}")).JsonAsync()).AsArray();
        Assert.Equal(ids.Skip(1).Order(StringComparer.Ordinal), dump.Select(r => (string)r!["id"]!));

        var duplicate = await again.PostAsync("/api/v1/data/users", Http.Data(new { email, full_name = "Other", password = "12345678" }));
        await duplicate.AssertProblemAsync(409);

        var join = (await (await again.GetAsync("/api/v1/join/users/orders/user_id")).JsonAsync()).AsArray();
        Assert.Single(join);

        // The restart neither lost nor duplicated an event.
        await again.PutAsync($"/api/v1/data/{table}/{ids[2]}", Http.Data(new { i = -2 }));
        var eventsAfter = await Eventually.Poll(() => ReadEventsAsync(again), e => e.Length == 55);
        Assert.Equal(eventsBefore.Select(e => e.ToJsonString()), eventsAfter.Take(54).Select(e => e.ToJsonString()));
        Assert.Equal(55, eventsAfter.Select(e => (string)e["event_id"]!).Distinct().Count());

        // A deleted record's id can be used again: the tombstone refuses the insert, the read finds it deleted.
        var recreated = await again.PostAsync($"/api/v1/data/{table}", Http.Data(new { id = deletedId, i = 100 }));
        Assert.Equal(HttpStatusCode.Created, recreated.StatusCode);
        Assert.Equal(3, (long)(await recreated.JsonAsync())["version"]!);
        Assert.Equal(100, (int)(await (await again.GetAsync($"/api/v1/data/{table}/{deletedId}")).JsonAsync())["data"]!["i"]!);
    }

    [Fact]
    public async Task EventsAreInTheDadosViewWithTheSeedShape()
    {
        await using var factory = new ApiFactory(TestEnvironment.Postgres);
        var client = factory.CreateClient();
        var table = Http.NewTable();
        var id = (string)(await client.CreateAsync(table, new { question = "2+2?" }))["id"]!;
        var events = await Eventually.Poll(() => ReadEventsAsync(client), e => e.Length == 1);
        var eventId = Guid.Parse((string)events[0]["event_id"]!);

        await using var connection = new NpgsqlConnection(TestEnvironment.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT d.id, d.metodo, d.conteudo::text, d.criado_em FROM dados d JOIN event_log e ON e.position = d.id WHERE e.event_id = $1", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = eventId });
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((long)events[0]["position"]!, reader.GetInt64(0));
        Assert.Equal("create_record", reader.GetString(1));
        var content = JsonNode.Parse(reader.GetString(2))!;
        Assert.Equal(id, (string)content["id"]!);
        Assert.Equal("2+2?", (string)content["data"]!["question"]!);
        Assert.True(reader.GetFieldValue<DateTimeOffset>(3) > DateTimeOffset.UtcNow.AddMinutes(-5));
    }

    private static async Task<JsonNode[]> ReadEventsAsync(HttpClient client)
        => (await (await client.GetAsync("/api/v1/events?limit=10000")).JsonAsync()).AsArray().Select(e => e!).ToArray();
}
