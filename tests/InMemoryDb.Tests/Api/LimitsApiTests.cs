using System.Net;
using System.Text.Json.Nodes;
using InMemoryDb.Grains;
using InMemoryDb.Grains.Tables;
using InMemoryDb.Tables;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace InMemoryDb.Tests.Api;

/// <summary>One request must not take the node: response caps with paging, rate limits, time-outs, bounded hashing, headers.</summary>
public sealed class LimitsApiTests
{
    private const int Cap = 64 * 1024;

    private static ApiFactory With(params (string Key, string? Value)[] settings)
        => new(settings: settings.ToDictionary(s => s.Key, s => s.Value));

    [Fact]
    public async Task AWholeDumpOverTheCapIsRefusedNamingLimitAndAfterWhilePagesWalkIt()
    {
        await using var api = With(("InMemoryDb:Limits:MaxResponseBytes", Cap.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var client = api.CreateClient();
        var table = Http.NewTable();
        var blob = new string('x', 1000);
        for (var i = 0; i < 100; i++) await client.CreateAsync(table, new { id = $"r{i:D3}", blob });

        var whole = await (await client.GetAsync($"/api/v1/dump/{table}")).AssertProblemAsync(400);
        Assert.Contains("limit", (string)whole["detail"]!);
        Assert.Contains("after", (string)whole["detail"]!);
        await (await client.GetAsync($"/api/v1/dump/{table}?limit=100")).AssertProblemAsync(400);

        // Pages within the cap, followed by their Link headers, give every record once, in order.
        var ids = new List<string>();
        var next = $"/api/v1/dump/{table}?limit=20";
        while (next is not null)
        {
            var page = await client.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            ids.AddRange((await page.JsonAsync()).AsArray().Select(r => (string)r!["id"]!));
            next = page.Headers.TryGetValues("Link", out var links) ? links.Single()[1..links.Single().IndexOf('>')] : null;
        }
        Assert.Equal(Enumerable.Range(0, 100).Select(i => $"r{i:D3}"), ids);

        // The rest of the table after a point fits, and is answered whole.
        var tail = await client.GetAsync($"/api/v1/dump/{table}?after=r079");
        Assert.Equal(HttpStatusCode.OK, tail.StatusCode);
        Assert.Equal(20, (await tail.JsonAsync()).AsArray().Count);
    }

    [Fact]
    public async Task AJoinOverTheCapIsRefusedAndPagesOfItFollowTheirLinks()
    {
        await using var api = With(("InMemoryDb:Limits:MaxResponseBytes", Cap.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var client = api.CreateClient();
        var left = Http.NewTable("l");
        var right = Http.NewTable("r");
        // 30 × 30 records with one equal key: 900 pairs of about 400 bytes, well over 64 KiB.
        for (var i = 0; i < 30; i++)
        {
            await client.CreateAsync(left, new { id = $"a{i:D2}", k = 1, pad = new string('p', 100) });
            await client.CreateAsync(right, new { id = $"b{i:D2}", k = 1, pad = new string('q', 100) });
        }
        var refused = await (await client.GetAsync($"/api/v1/join/{left}/{right}/k")).AssertProblemAsync(400);
        Assert.Contains("900 pairs", (string)refused["detail"]!);

        var pairs = new List<string>();
        var next = $"/api/v1/join/{left}/{right}/k?limit=100";
        while (next is not null)
        {
            var page = await client.GetAsync(next);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            pairs.AddRange((await page.JsonAsync()).AsArray().Select(p => $"{p![left]!["id"]}/{p[right]!["id"]}"));
            next = page.Headers.TryGetValues("Link", out var links) ? links.Single()[1..links.Single().IndexOf('>')] : null;
        }
        var expected = Enumerable.Range(0, 30).SelectMany(a => Enumerable.Range(0, 30).Select(b => $"a{a:D2}/b{b:D2}"));
        Assert.Equal(expected, pairs);

        // The rest after a cursor fits, and is answered whole; a cursor that is none is refused before anything is sent.
        var tail = await client.GetAsync($"/api/v1/join/{left}/{right}/k?after=a28/b27");
        Assert.Equal(HttpStatusCode.OK, tail.StatusCode);
        Assert.Equal(expected.Skip(28 * 30 + 28), (await tail.JsonAsync()).AsArray().Select(p => $"{p![left]!["id"]}/{p[right]!["id"]}"));
        await (await client.GetAsync($"/api/v1/join/{left}/{right}/k?after=a28")).AssertProblemAsync(400);
    }

    [Fact]
    public async Task EventPagesOverTheCapAreRefusedAndEveryPageLinksToTheNext()
    {
        await using var api = With(("InMemoryDb:Limits:MaxResponseBytes", Cap.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var client = api.CreateClient();
        var table = Http.NewTable();
        for (var i = 0; i < 40; i++) await client.CreateAsync(table, new { i, blob = new string('e', 4000) });

        async Task<int> WalkAsync()
        {
            var seen = 0;
            var next = "/api/v1/events?limit=10";
            while (next is not null)
            {
                var page = await client.GetAsync(next);
                Assert.Equal(HttpStatusCode.OK, page.StatusCode);
                var events = (await page.JsonAsync()).AsArray();
                seen += events.Count(e => (string)e!["entity"]! == table);
                next = events.Count == 0 ? null : page.Headers.GetValues("Link").Single()[1..^"; rel=\"next\"".Length].TrimEnd('>');
            }
            return seen;
        }

        // Events reach the log shortly after their writes are acknowledged.
        Assert.Equal(40, await Eventually.Poll(WalkAsync, seen => seen == 40));
        await (await client.GetAsync("/api/v1/events?limit=40")).AssertProblemAsync(400);
    }

    [Fact]
    public async Task ListingsOfKeysQuestionsAndTablesAreCappedAndPaged()
    {
        await using var api = With(("InMemoryDb:Limits:MaxResponseBytes", Cap.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var client = api.CreateClient();
        for (var i = 0; i < 20; i++) Assert.Equal(HttpStatusCode.OK, (await client.PutAsync("/api", Http.Json($$"""{"key":"k{{i:D2}}","value":"{{new string('v', 5000)}}"}"""))).StatusCode);
        await (await client.GetAsync("/api/all")).AssertProblemAsync(400);
        Assert.Equal(5, (await (await client.GetAsync("/api/all?limit=5")).JsonAsync())["data"]!.AsArray().Count);

        for (var i = 1; i <= 30; i++)
        {
            var text = new string('q', 1900);
            Assert.Equal(HttpStatusCode.OK, (await client.PostAsync("/question", Http.Json($$"""{"question_id":{{i}},"question_text":"{{text}}","alternativa_a":"{{new string('a', 400)}}","alternativa_b":"b","alternativa_c":"c","alternativa_d":"d","alternativa_correta":"a","dificuldade":"x","assunto":"y"}"""))).StatusCode);
        }
        Assert.Equal(HttpStatusCode.BadRequest, (await client.GetAsync("/questions")).StatusCode);
        var page = await client.GetAsync("/questions?limit=5&after=10");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal([11L, 12, 13, 14, 15], (await page.JsonAsync()).AsArray().Select(q => (long)q!["question_id"]!));
        Assert.Contains("after=15", page.Headers.GetValues("Link").Single());

        var tables = await client.GetAsync("/api/v1/tables?limit=1");
        Assert.Single((await tables.JsonAsync()).AsArray());
        Assert.Contains("after=", tables.Headers.GetValues("Link").Single());
    }

    [Fact]
    public async Task AWholeDumpLargerThanOneStreamedPageComesWholeAndInOrder()
    {
        await using var api = With();
        var client = api.CreateClient();
        var table = Http.NewTable();
        await Task.WhenAll(Enumerable.Range(0, 4).Select(async part =>
        {
            for (var i = part; i < 2500; i += 4) await client.CreateAsync(table, new { id = $"r{i:D4}" });
        }));
        var dump = (await (await client.GetAsync($"/api/v1/dump/{table}")).JsonAsync()).AsArray();
        Assert.Equal(Enumerable.Range(0, 2500).Select(i => $"r{i:D4}"), dump.Select(r => (string)r!["id"]!));
    }

    [Fact]
    public async Task AClientOverItsRateGets429WithRetryAfterAndHealthIsNeverLimited()
    {
        await using var api = With(("InMemoryDb:RateLimits:PermitsPerSecond", "10"), ("InMemoryDb:RateLimits:Burst", "3"));
        var client = api.CreateClient();
        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 20; i++)
        {
            var response = await client.GetAsync("/api/v1/tables");
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests) limited ??= response;
        }
        Assert.Contains(HttpStatusCode.OK, statuses);
        Assert.NotNull(limited);
        await limited.AssertProblemAsync(429);
        Assert.True(limited.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        for (var i = 0; i < 20; i++) Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task ARequestThatOutlivesItsTimeoutIs504AndTheNodeKeepsServing()
    {
        await using var api = new ApiFactory(settings: new Dictionary<string, string?> { ["InMemoryDb:RequestTimeout"] = "00:00:00.500" },
            services: FaultyGrainStorage.Decorate);
        var client = api.CreateClient();
        var storage = Assert.IsType<FaultyGrainStorage>(api.Services.GetRequiredKeyedService<IGrainStorage>(ProviderNames.Storage));
        var table = Http.NewTable();
        storage.Arm(RecordGrain.StateName, TableNames.RecordKey(table, "slow"), WriteFault.Stalled);

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var response = await client.PostAsync($"/api/v1/data/{table}", Http.Data(new { id = "slow" }));
        Assert.True(watch.Elapsed < FaultyGrainStorage.StallTime, $"answered after {watch.Elapsed}");
        var problem = await response.AssertProblemAsync(504);
        Assert.Contains("read it back", (string)problem["detail"]!);
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/api/v1/data/{table}", Http.Data(new { id = "fast" }))).StatusCode);
        // The stalled write completes later; its fate was unknown to the client, and reading it back tells.
        await Eventually.Poll(() => client.GetAsync($"/api/v1/data/{table}/slow"), r => r.StatusCode == HttpStatusCode.OK);
    }

    [Fact]
    public async Task PasswordHashesBeyondTheQueueAreRefusedAsBusyAndStoreNothing()
    {
        await using var api = With(("InMemoryDb:Passwords:Iterations", "2000000"), ("InMemoryDb:Passwords:MaxConcurrency", "1"), ("InMemoryDb:Passwords:MaxQueued", "0"));
        var client = api.CreateClient();
        var hashing = api.Services.GetRequiredService<PasswordHashing>();
        var first = $"busy{Guid.NewGuid():N}@example.com";
        var second = $"busy{Guid.NewGuid():N}@example.com";
        var slow = client.PostAsync("/api/v1/data/users", Http.Data(new { email = first, full_name = "Busy", password = "12345678" }));
        // Once the first hash holds the only slot, a second user write is refused at once.
        await Eventually.Poll(() => Task.FromResult(hashing.InFlight), n => n == 1 || slow.IsCompleted, TimeSpan.FromSeconds(60));
        if (slow.IsCompleted)
        {
            var early = await slow;
            Assert.Fail($"The first user write ended before its hash was seen running: {early.StatusCode} {await early.Content.ReadAsStringAsync()}");
        }
        var refused = await client.PostAsync("/api/v1/data/users", Http.Data(new { email = second, full_name = "Busy", password = "12345678" }));
        await refused.AssertProblemAsync(503);
        Assert.Equal(HttpStatusCode.Created, (await slow).StatusCode);
        var users = (await (await client.GetAsync("/api/v1/dump/users")).JsonAsync()).AsArray().Select(u => (string)u!["data"]!["email"]!).ToArray();
        Assert.Contains(first, users);
        Assert.DoesNotContain(second, users);
        // The email of the refused write was not reserved.
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync("/api/v1/data/users", Http.Data(new { email = second, full_name = "Later", password = "12345678" }))).StatusCode);
    }

    [Fact]
    public async Task AnswersCarrySecurityHeadersAndBodiesMustBeJson()
    {
        await using var api = With();
        var client = api.CreateClient();
        foreach (var path in new[] { "/api/v1/tables", "/no/such/route", "/docs/index.html" })
        {
            var response = await client.GetAsync(path);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single());
            Assert.True(response.Headers.Contains("X-Correlation-Id"), path);
        }
        var table = Http.NewTable();
        foreach (var type in new string?[] { null, "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x" })
        {
            var body = new ByteArrayContent("""{"data":{"a":1}}"""u8.ToArray());
            if (type is not null) body.Headers.TryAddWithoutValidation("Content-Type", type);
            await (await client.PostAsync($"/api/v1/data/{table}", body)).AssertProblemAsync(415);
        }
        await (await client.GetAsync($"/api/v1/dump/{table}")).AssertProblemAsync(404);
        var merge = new ByteArrayContent("""{"data":{"a":1}}"""u8.ToArray());
        merge.Headers.TryAddWithoutValidation("Content-Type", "application/merge-patch+json; charset=utf-8");
        Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/api/v1/data/{table}", merge)).StatusCode);
    }

    [Fact]
    public async Task AFailureAnsweredByTheExceptionHandlerKeepsTheCorrelationId()
    {
        await using var api = new ApiFactory(services: FaultyGrainStorage.Decorate);
        var client = api.CreateClient();
        var storage = Assert.IsType<FaultyGrainStorage>(api.Services.GetRequiredKeyedService<IGrainStorage>(ProviderNames.Storage));
        var table = Http.NewTable();
        storage.Arm(RecordGrain.StateName, TableNames.RecordKey(table, "fails"), WriteFault.Refused, failedReads: 3);
        var response = await client.SendAsync(HttpMethod.Post, $"/api/v1/data/{table}", Http.Data(new { id = "fails" }), ("X-Correlation-Id", "trace-me-1"));
        Assert.True((int)response.StatusCode >= 500, $"{response.StatusCode}");
        Assert.Equal("trace-me-1", response.Headers.GetValues("X-Correlation-Id").Single());
        Assert.Equal("trace-me-1", (string)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["correlation_id"]!);
    }
}
