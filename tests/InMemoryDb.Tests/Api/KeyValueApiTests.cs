using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace InMemoryDb.Tests.Api;

/// <summary>Seed 003's key-value API on the embedded default: shapes, validation, last-writer-wins, events, listing.</summary>
[Collection(ApiCollection.Name)]
public sealed class KeyValueApiTests(ApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    private static string NewKey(string prefix = "k") => $"{prefix}-{Guid.NewGuid():N}";

    [Fact]
    public async Task PutThenGetReturnsTheSeedShape()
    {
        var key = NewKey();
        var put = await Client.PutAsync("/api", Http.Json($$"""{"key":"{{key}}","value":"José ✓"}"""));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var written = await put.JsonAsync();
        Assert.Equal("stored", (string)written["status"]!);
        Assert.True(DateTimeOffset.TryParse((string)written["timestamp"]!, out var at) && at > DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Equal(["status", "timestamp"], written.AsObject().Select(p => p.Key).Order());

        var get = await Client.GetAsync($"/api?key={key}");
        Assert.Equal(HttpStatusCode.OK, get.StatusCode);
        var body = await get.JsonAsync();
        Assert.Equal(key, (string)body["data"]!["key"]!);
        Assert.Equal("José ✓", (string)body["data"]!["value"]!);
        Assert.Equal("memory", (string)body["source"]!);
        Assert.Equal(["data", "source"], body.AsObject().Select(p => p.Key).Order());
    }

    [Fact]
    public async Task PutBodyOfUnknownLengthIsReadWhole()
    {
        var key = NewKey();
        var put = await Client.PutAsync("/api", Http.Trickled($$"""{"key":"{{key}}","value":"sent in pieces"}"""));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var body = await (await Client.GetAsync($"/api?key={key}")).JsonAsync();
        Assert.Equal("sent in pieces", (string)body["data"]!["value"]!);
    }

    [Fact]
    public async Task MissingKeyIs404KeyNotFound()
    {
        var problem = await (await Client.GetAsync($"/api?key={NewKey()}")).AssertProblemAsync(404);
        Assert.Equal("key not found", (string)problem["detail"]!);
    }

    [Theory]
    [InlineData("/api")]
    [InlineData("/api?key=")]
    public async Task MissingOrEmptyKeyIs400(string url)
    {
        await (await Client.GetAsync(url)).AssertProblemAsync(400);
        await (await Client.DeleteAsync(url)).AssertProblemAsync(400);
    }

    [Theory]
    [InlineData("[1,2]", 400)]
    [InlineData("{\"key\":", 400)]
    [InlineData("{\"value\":\"v\"}", 422)]
    [InlineData("{\"key\":\"k\"}", 422)]
    [InlineData("{\"key\":\"\",\"value\":\"v\"}", 422)]
    [InlineData("{\"key\":5,\"value\":\"v\"}", 422)]
    [InlineData("{\"key\":\"k\",\"value\":{\"a\":1}}", 422)]
    [InlineData("{\"key\":\"k\",\"value\":\"v\",\"timestamp\":\"yesterday\"}", 422)]
    [InlineData("{\"key\":\"k\",\"value\":\"v\",\"timestamp\":1.5}", 422)]
    [InlineData("{\"key\":\"k\",\"value\":\"v\",\"timestamp\":true}", 422)]
    [InlineData("{\"key\":\"k\",\"value\":\"a\\u0000b\"}", 422)]
    [InlineData("{\"key\":\"k\",\"value\":\"\\ud800\"}", 422)]
    public async Task InvalidPutIsRejected(string body, int status)
    {
        await (await Client.PutAsync("/api", Http.Json(body))).AssertProblemAsync(status);
    }

    [Fact]
    public async Task KeyAndValueLimitsAreExact()
    {
        var longest = new string('k', 256);
        Assert.Equal("stored", (await Client.PutAsync(longest, "v")).Status);
        var problem = await (await Client.PutAsync("/api", Http.Json($$"""{"key":"{{new string('k', 257)}}","value":"v"}"""))).AssertProblemAsync(422);
        Assert.NotNull(problem["errors"]!["key"]);
        await (await Client.GetAsync($"/api?key={new string('k', 257)}")).AssertProblemAsync(400);

        var key = NewKey();
        var largest = new string('é', 32 * 1024); // 64 KiB in UTF-8
        Assert.Equal("stored", (await Client.PutAsync(key, largest)).Status);
        Assert.Equal(largest, (await Client.GetKeyAsync(key)).Value);
        problem = await (await Client.PutAsync("/api", Http.Json($$"""{"key":"{{key}}","value":"{{largest}}x"}"""))).AssertProblemAsync(422);
        Assert.NotNull(problem["errors"]!["value"]);
        Assert.Equal(largest, (await Client.GetKeyAsync(key)).Value);
    }

    [Fact]
    public async Task AwkwardKeysAreDistinctAndSafe()
    {
        var id = Guid.NewGuid().ToString("N")[..8];
        string[] keys = [$"0{id.Length}020235{id}", $"{id.Length}020235{id}", $"a/b/{id}", $"a%2Fb/{id}", $"#{id}", $"ünï cödé {id} ✓", $"{id}?&=+", "9" + new string('/', 255)];
        foreach (var key in keys) Assert.Equal("stored", (await Client.PutAsync(key, "value of " + key)).Status);
        foreach (var key in keys)
        {
            var read = await Client.GetKeyAsync(key);
            Assert.Equal(HttpStatusCode.OK, read.Code);
            Assert.Equal("value of " + key, read.Value);
        }
        var digits = $"{Random.Shared.NextInt64(1_000_000_000, 9_999_999_999)}";
        Assert.Equal("stored", (await Client.PutAsync("00" + digits, "with zeros")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetKeyAsync(digits)).Code);
    }

    [Fact]
    public async Task OlderOperationsArriveLateAndAreIgnored()
    {
        var key = NewKey("lww");
        Assert.Equal("stored", (await Client.PutAsync(key, "newer", "2030-01-01T00:00:02Z")).Status);
        var older = await Client.PutAsync(key, "older", "2030-01-01T00:00:01Z");
        Assert.Equal("ignored", older.Status);
        Assert.Equal("2030-01-01T00:00:01.0000000Z", older.Timestamp);
        Assert.Equal("newer", (await Client.GetKeyAsync(key)).Value);

        // A delete leaves a tombstone: an older PUT arriving after it cannot resurrect the key.
        Assert.Equal("deleted", (await Client.DeleteKeyAsync(key, "2030-01-01T00:00:03Z")).Status);
        Assert.Equal("ignored", (await Client.PutAsync(key, "resurrected", "2030-01-01T00:00:02.5Z")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetKeyAsync(key)).Code);

        // Likewise an older delete after a newer put (Unix milliseconds and ISO-8601 mix freely).
        Assert.Equal("stored", (await Client.PutAsync(key, "latest", 1_893_456_004_000)).Status);
        Assert.Equal("ignored", (await Client.DeleteKeyAsync(key, "1893456003500")).Status);
        Assert.Equal("latest", (await Client.GetKeyAsync(key)).Value);
    }

    [Fact]
    public async Task TiesAreBrokenTheSameWayInAnyOrder()
    {
        const string at = "2031-05-05T05:05:05.5555555Z";
        var first = NewKey("tie");
        var second = NewKey("tie");
        Assert.Equal("stored", (await Client.PutAsync(first, "a", at)).Status);
        Assert.Equal("stored", (await Client.PutAsync(first, "b", at)).Status);
        Assert.Equal("stored", (await Client.PutAsync(second, "b", at)).Status);
        Assert.Equal("ignored", (await Client.PutAsync(second, "a", at)).Status);
        Assert.Equal("b", (await Client.GetKeyAsync(first)).Value);
        Assert.Equal("b", (await Client.GetKeyAsync(second)).Value);

        // At the same timestamp a delete beats a put, whichever comes first.
        Assert.Equal("deleted", (await Client.DeleteKeyAsync(first, at)).Status);
        Assert.Equal("ignored", (await Client.PutAsync(first, "z", at)).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetKeyAsync(first)).Code);
    }

    [Fact]
    public async Task RetryingTheSameOperationIsIdempotentAndLogsOneEvent()
    {
        var key = NewKey("retry");
        var first = await Client.PutAsync(key, "v", "2032-01-01T00:00:00Z");
        var again = await Client.PutAsync(key, "v", first.Timestamp);
        Assert.Equal(("stored", first.Timestamp), (again.Status, again.Timestamp));
        var events = await Eventually.Poll(() => KeyEventsAsync(key), e => e.Length >= 1);
        await Task.Delay(200);
        Assert.Single(await KeyEventsAsync(key));
        Assert.Equal("put_key", (string)events[0]["method"]!);
    }

    [Fact]
    public async Task ServerTimestampsGrowPerKeyAndWinOverTheFuture()
    {
        var key = NewKey("clock");
        var stamps = new List<DateTimeOffset>();
        for (var i = 0; i < 5; i++) stamps.Add(DateTimeOffset.Parse((await Client.PutAsync(key, $"v{i}")).Timestamp!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(stamps.Order(), stamps);
        Assert.Equal(stamps.Count, stamps.Distinct().Count());

        Assert.Equal("stored", (await Client.PutAsync(key, "from the future", "2999-01-01T00:00:00Z")).Status);
        var now = await Client.DeleteKeyAsync(key);
        Assert.Equal("deleted", now.Status);
        Assert.Equal("2999-01-01T00:00:00.0000001Z", now.Timestamp);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetKeyAsync(key)).Code);
    }

    [Fact]
    public async Task AppliedOperationsAreEventsAndIgnoredOnesAreNot()
    {
        var key = NewKey("events");
        var put = await Client.PutAsync(key, "one", "2033-01-01T00:00:01Z");
        await Client.PutAsync(key, "stale", "2033-01-01T00:00:00Z");
        var delete = await Client.DeleteKeyAsync(key, "2033-01-01T00:00:02Z");
        var events = await Eventually.Poll(() => KeyEventsAsync(key), e => e.Length >= 2);
        Assert.Equal(["put_key", "delete_key"], events.Select(e => (string)e["method"]!));
        Assert.All(events, e => Assert.Equal("kv", (string)e["entity"]!));
        Assert.Equal(JsonNode.Parse($$"""{"key":"{{key}}","value":"one","timestamp":"{{put.Timestamp}}"}""")!.ToJsonString(), events[0]["content"]!.ToJsonString());
        Assert.Equal(JsonNode.Parse($$"""{"key":"{{key}}","timestamp":"{{delete.Timestamp}}"}""")!.ToJsonString(), events[1]["content"]!.ToJsonString());
    }

    [Fact]
    public async Task AllListsLiveKeysInOrderWithPaging()
    {
        var prefix = $"list-{Guid.NewGuid():N}/";
        var keys = Enumerable.Range(0, 25).Select(i => $"{prefix}{(char)('a' + i % 26)}{i:D2}").ToArray();
        foreach (var key in keys) await Client.PutAsync(key, key.ToUpperInvariant());
        await Client.DeleteKeyAsync(keys[3]);
        var expected = keys.Where((_, i) => i != 3).Order(StringComparer.Ordinal).ToArray();

        var all = await Client.ListAllAsync();
        Assert.Equal(expected, all.Select(p => p.Key).Where(k => k.StartsWith(prefix, StringComparison.Ordinal)));
        Assert.All(all.Where(p => p.Key.StartsWith(prefix, StringComparison.Ordinal)), p => Assert.Equal(p.Key.ToUpperInvariant(), p.Value));
        Assert.Equal(all.Select(p => p.Key).Order(StringComparer.Ordinal), all.Select(p => p.Key));

        // Pages from a starting point: after= is exclusive, Link points at the next page.
        var response = await Client.GetAsync($"/api/all?limit=10&after={Uri.EscapeDataString(prefix)}");
        var page = (await response.JsonAsync())["data"]!.AsArray().Select(p => (string)p!["key"]!).ToArray();
        Assert.Equal(expected.Take(10), page);
        var link = response.Headers.GetValues("Link").Single();
        Assert.Equal($"</api/all?limit=10&after={Uri.EscapeDataString(page[^1])}>; rel=\"next\"", link);
        var next = (await (await Client.GetAsync(link[1..link.IndexOf('>')])).JsonAsync())["data"]!.AsArray().Select(p => (string)p!["key"]!).ToArray();
        Assert.Equal(expected.Skip(10).Take(10), next);

        await (await Client.GetAsync("/api/all?limit=0")).AssertProblemAsync(400);
        await (await Client.GetAsync("/api/all?limit=abc")).AssertProblemAsync(400);
    }

    private Task<JsonNode[]> KeyEventsAsync(string key) => Client.EventsAsync(e => (string)e["key"]! == key);
}
