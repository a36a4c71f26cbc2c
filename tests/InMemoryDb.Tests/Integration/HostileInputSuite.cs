using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using InMemoryDb.Tests.Infrastructure.Processes;
using Xunit.Abstractions;

namespace InMemoryDb.Tests.Integration;

/// <summary>
/// What a hostile client sends, on every route of a persistent node (the built API as its own process, on the test
/// PostgreSQL): malformed JSON, wrong types, duplicate keys, invalid UTF-8, unpaired surrogates, NUL and control
/// characters, huge numbers, deep nesting, oversized bodies and ids, path tricks, missing content types; then a
/// restart. It must answer every request without a 5xx or a hang; every write that changed state must have exactly
/// one event in the log (found by the request's correlation id) and every other request none; every listing must
/// answer 200 after the restart. The counts are printed (docs/operations/hostile-input.md reports a run).
/// </summary>
public sealed class HostileInputSuite(ITestOutputHelper output)
{
    private const string Table = "hostile";

    private static readonly string[] Texts =
    [
        "plain", "José 😀 中文", "a\\u0000b", "\\u0000", "\\u0001\\u001f\\t\\n", "\\ud800x", "\\udc00", "\\ud83d",
        "x\\\"y\\\\z", new string('w', 20_000), "%00", "../..", "<script>alert(1)</script>", "'; DROP TABLE event_log; --",
    ];

    private static readonly string[] Numbers =
    [
        "1", "-0", "1.5", "1e308", "1e200000", "-1e400", "1e-400", "5e-324", new string('9', 101), "0." + new string('0', 200) + "1",
        "123456789012345678901234567890", "1E+2",
    ];

    private static readonly string[] MalformedBodies =
    [
        "", "{", "}", "[]", "\"x\"", "null", "123", "{\"data\":", "{\"data\":{}}garbage", "\uFEFF{\"data\":{}}", "{'data':{}}",
        "{\"data\":{\"a\":1,}}", "{\"data\":{\"a\":01}}", "{\"data\":{\"a\":NaN}}", "{\"data\":{\"a\":Infinity}}", "/* c */{\"data\":{}}",
    ];

    [Fact]
    public async Task NoRequestBreaksTheNodeAndEveryChangeIsLoggedOnceAcrossARestart()
    {
        await using var node = await SingleNode.StartAsync(TestEnvironment.Postgres);
        var sent = new List<Sent>();
        var hangs = new List<string>();

        async Task Send(string method, string target, byte[]? body = null, string? contentType = "application/json", bool chunked = false,
            bool repeat = false)
        {
            var correlation = "hostile-" + sent.Count.ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..8];
            var headers = new List<(string, string)> { ("X-Correlation-Id", correlation) };
            if (contentType is not null && body is not null) headers.Add(("Content-Type", contentType));
            try
            {
                var answer = await RawHttp.SendAsync(node.Address, method, target, body, headers, chunked);
                sent.Add(new Sent(method, target, correlation, answer, repeat));
            }
            catch (TimeoutException e)
            {
                hangs.Add(e.Message);
            }
        }

        Task Json(string method, string target, string json, bool repeat = false) => Send(method, target, Encoding.UTF8.GetBytes(json), repeat: repeat);

        // Targets that exist, so updates, answers and reads have something to hit.
        using (var http = node.Client())
        {
            await http.CreateAsync(Table, new { id = "base", n = 1 });
            await http.CreateAsync("users", new { id = "hostile-user", email = "hostile@example.com", full_name = "Hostile", password = "12345678" });
            Assert.Equal(200, (int)(await http.PostAsync("/question", Http.Json("""{"question_id":424242,"question_text":"Q?","alternativa_a":"a","alternativa_b":"b","alternativa_c":"c","alternativa_d":"d","alternativa_correta":"a","dificuldade":"x","assunto":"y"}"""))).StatusCode);
        }

        // Values of every kind in schemaless records, as values and as property names.
        var i = 0;
        foreach (var text in Texts)
        {
            await Json("POST", $"/api/v1/data/{Table}", $$$$"""{"data":{"id":"t{{{{i++}}}}","v":"{{{{text}}}}"}}""");
            await Json("POST", $"/api/v1/data/{Table}", $$$$"""{"data":{"{{{{text}}}}":1}}""");
            await Json("PUT", $"/api/v1/data/{Table}/base", $$$$"""{"data":{"v":"{{{{text}}}}"}}""");
            await Json("POST", "/api/v1/data/users", $$$$"""{"data":{"email":"u{{{{i++}}}}@example.com","full_name":"{{{{text}}}}","password":"12345678"}}""");
            await Json("POST", "/pessoas", $$$$"""{"apelido":"{{{{Short(text)}}}}{{{{i++}}}}","nome":"{{{{text}}}}","nascimento":"2000-01-01","stack":["{{{{Short(text)}}}}"]}""");
            await Json("POST", "/question", $$$$"""{"question_id":{{{{900000 + i++}}}},"question_text":"{{{{text}}}}","alternativa_a":"{{{{text}}}}","alternativa_b":"b","alternativa_c":"c","alternativa_d":"d","alternativa_correta":"b","dificuldade":"x","assunto":"y"}""");
            await Json("POST", "/answer", $$$$"""{"question_id":424242,"alternativa_escolhida":"{{{{text}}}}","datahora":"2025-05-01T10:00:00Z","usuario":"u{{{{i++}}}}","nro_tentativa":1}""");
            await Json("POST", "/answer", $$$$"""{"question_id":424242,"alternativa_escolhida":"a","datahora":"2025-05-01T10:00:00Z","usuario":"{{{{Short(text)}}}}","nro_tentativa":{{i++}}}""");
            await Json("PUT", "/api", $$$$"""{"key":"k{{{{i++}}}}","value":"{{{{text}}}}"}""");
            await Json("PUT", "/api", $$$$"""{"key":"{{{{Short(text)}}}}","value":"v{{{{i++}}}}"}""");
        }
        foreach (var number in Numbers)
        {
            await Json("POST", $"/api/v1/data/{Table}", "{\"data\":{\"n\":" + number + "}}");
            await Json("POST", "/api/v1/data/orders", $$$$"""{"data":{"product_name":"p","quantity":{{{{number}}}},"total_price":{{{{number}}}},"user_id":"hostile-user"}}""");
            await Json("POST", "/question", $$$$"""{"question_id":{{{{number}}}},"question_text":"q","alternativa_a":"a","alternativa_b":"b","alternativa_c":"c","alternativa_d":"d","alternativa_correta":"a","dificuldade":"x","assunto":"y"}""");
            await Json("POST", "/answer", $$$$"""{"question_id":424242,"alternativa_escolhida":"a","datahora":"2025-05-01T10:00:00Z","usuario":"n{{{{i++}}}}","nro_tentativa":{{number}}}""");
            await Json("PUT", "/api", $$$$"""{"key":"n{{{{i++}}}}","value":"v","timestamp":{{number}}}""");
        }

        // Timestamps at and past the edges of the calendar.
        foreach (var timestamp in new[] { "\"9999-12-31T23:59:59.9999999Z\"", "\"9999-12-30T23:59:59Z\"", "\"0001-01-01T00:00:00Z\"", "\"0000-01-01T00:00:00Z\"",
                     "\"2026-13-45T99:99:99Z\"", "253402300799999", "-62135596800001", "\"٢٠٢٦-01-01T00:00:00Z\"", "true", "{}" })
        {
            var key = "ts" + i++;
            await Json("PUT", "/api", $$$$"""{"key":"{{{{key}}}}","value":"v","timestamp":{{timestamp}}}""");
            await Json("PUT", "/api", $$$$"""{"key":"{{{{key}}}}","value":"after"}""");
            await Send("DELETE", $"/api?key={key}");
        }

        // An idempotent repeat changes nothing the second time.
        await Json("PUT", "/api", """{"key":"repeat","value":"v","timestamp":"2026-01-01T00:00:00Z"}""");
        await Json("PUT", "/api", """{"key":"repeat","value":"v","timestamp":"2026-01-01T00:00:00Z"}""", repeat: true);
        await Json("PUT", "/api", """{"key":"repeat","value":"older","timestamp":"2025-01-01T00:00:00Z"}""");

        // Wrong types and shapes.
        foreach (var value in new[] { "[]", "\"s\"", "1", "null", "true", "{\"a\":{\"b\":[1,{\"c\":null}]}}" })
        {
            await Json("POST", $"/api/v1/data/{Table}", $$$$"""{"data":{{value}}}""");
            await Json("POST", "/pessoas", $$$$"""{"apelido":{{{{value}}}},"nome":"n","nascimento":"2000-01-01","stack":null}""");
            await Json("POST", "/pessoas", $$$$"""{"apelido":"a{{{{i++}}}}","nome":"n","nascimento":"2000-01-01","stack":{{value}}}""");
            await Json("POST", "/question", $$$$"""{"question_id":1,"question_text":{{{{value}}}},"alternativa_a":"a","alternativa_b":"b","alternativa_c":"c","alternativa_d":"d","alternativa_correta":"a","dificuldade":"x","assunto":"y"}""");
            await Json("PUT", "/api", $$$$"""{"key":{{{{value}}}},"value":"v"}""");
            await Json("POST", "/api/v1/data/users", $$$$"""{"data":{"email":{{{{value}}}},"full_name":"x","password":"12345678"}}""");
        }

        // Duplicate keys, at the top and nested.
        await Json("POST", $"/api/v1/data/{Table}", """{"data":{"a":1,"a":2}}""");
        await Json("POST", $"/api/v1/data/{Table}", """{"data":{"o":{"x":1,"x":2}}}""");
        await Json("POST", $"/api/v1/data/{Table}", """{"data":{"a":1},"data":{"b":2}}""");
        await Json("POST", "/pessoas", """{"apelido":"dup1","apelido":"dup2","nome":"n","nascimento":"2000-01-01","stack":null}""");
        await Json("PUT", "/api", """{"key":"dupkey","key":"dupkey2","value":"v"}""");

        // Nesting around the limit and far beyond it.
        foreach (var depth in new[] { InputLimits.MaxDepth, InputLimits.MaxDepth + 1, 60, 62, 64, 65, 1000, 100_000 })
        {
            var nested = string.Concat(Enumerable.Repeat("{\"a\":", depth - 1)) + "{}" + new string('}', depth - 1);
            await Json("POST", $"/api/v1/data/{Table}", $$$$"""{"data":{{nested}}}""");
            await Json("PUT", "/api", $$$$"""{"key":"deep{{{{i++}}}}","value":{{nested}}}""");
        }

        // Invalid UTF-8 inside strings, as raw bytes.
        foreach (var bad in new byte[][] { [0xFF], [0xC3, 0x28], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xC0, 0xAF] })
        {
            byte[] With(string before, string after) => [.. Encoding.UTF8.GetBytes(before), .. bad, .. Encoding.UTF8.GetBytes(after)];
            await Send("POST", $"/api/v1/data/{Table}", With("{\"data\":{\"v\":\"x", "\"}}"));
            await Send("POST", $"/api/v1/data/{Table}", With("{\"data\":{\"x", "\":1}}"));
            await Send("POST", "/pessoas", With("{\"apelido\":\"u", "\",\"nome\":\"n\",\"nascimento\":\"2000-01-01\",\"stack\":null}"));
            await Send("POST", "/question", With("{\"question_id\":7,\"question_text\":\"", "\",\"alternativa_a\":\"a\",\"alternativa_b\":\"b\",\"alternativa_c\":\"c\",\"alternativa_d\":\"d\",\"alternativa_correta\":\"a\",\"dificuldade\":\"x\",\"assunto\":\"y\"}"));
            await Send("PUT", "/api", With("{\"key\":\"utf", "\",\"value\":\"v\"}"));
        }

        // Malformed bodies on every writing route.
        foreach (var body in MalformedBodies)
        {
            foreach (var (method, target) in WritingRoutes())
            {
                await Json(method, target, body);
            }
        }

        // Bodies without a JSON content type, oversized bodies, declared and chunked.
        foreach (var (method, target) in WritingRoutes())
        {
            await Send(method, target, """{"data":{"x":1}}"""u8.ToArray(), contentType: null);
            await Send(method, target, """{"data":{"x":1}}"""u8.ToArray(), contentType: "text/plain");
            await Send(method, target, """{"data":{"x":1}}"""u8.ToArray(), contentType: "application/x-www-form-urlencoded");
            var huge = Encoding.UTF8.GetBytes("{\"data\":{\"blob\":\"" + new string('x', 1024 * 1024) + "\"}}");
            await Send(method, target, huge);
            await Send(method, target, huge, chunked: true);
        }

        // Path and query tricks on every route family.
        var longId = new string('i', 10_000);
        foreach (var target in new[]
        {
            "/api/v1/data/users%0A", "/api/v1/data/users%0a/x", "/api/v1/data/users%2Fx", "/api/v1/data/../users", "/api/v1/data/users/..",
            "/api/v1/data/users/%00", "/api/v1/data/users/%ZZ", $"/api/v1/data/users/{longId}", $"/api/v1/data/{Table}/%2F", "/api/v1/data/USERS",
            $"/api/v1/data/{Table}/%ED%A0%80", $"/api/v1/data/{Table}/%C3%28", "//api//v1//data//users", "/api/v1/data/users?x=%00",
            "/pessoas/%00", "/pessoas/..%2F..", $"/pessoas/{longId}", "/pessoas?t=%00", "/pessoas?t=", "/pessoas?t=" + new string('t', 5000),
            "/question/99999999999999999999999", "/question/-1", "/question/%20", "/question/1e3", "/users/%2F/score", "/users/%00/score", $"/users/{longId}/score",
            "/answers?question_id=abc", "/answers?usuario=%00", "/answers?limit=0", "/answers?limit=-5", "/answers?after=%00", "/questions?limit=1e9", "/questions?after=x",
            "/api?key=%00", "/api?key=", "/api?key=" + new string('k', 300), "/api?key=%ED%A0%80", "/api/all?limit=0", "/api/all?limit=100001", "/api/all?after=%00",
            $"/api/v1/dump/{Table}?limit=-1", $"/api/v1/dump/{Table}?limit=1e9", $"/api/v1/dump/{Table}?after=%00", "/api/v1/dump/no_such_table",
            $"/api/v1/join/{Table}/users/%0A", $"/api/v1/join/{Table}/{Table}/a%2Fb", $"/api/v1/join/{Table}/users/id?after=x", $"/api/v1/join/{Table}/users/id?limit=0",
            "/api/v1/events?after=-1", "/api/v1/events?limit=99999999999", "/api/v1/events?limit=0", "/api/v1/events?after=abc", "/api/v1/tables?limit=0", "/api/v1/tables?after=%00",
            "/%2e%2e/%2e%2e/etc/passwd", "/docs/../../etc/passwd", "/health%00", "/\u00e9",
        })
        {
            foreach (var method in new[] { "GET", "HEAD", "DELETE", "POST", "PUT" })
            {
                await Send(method, target, method is "POST" or "PUT" ? """{"data":{"x":1}}"""u8.ToArray() : null);
            }
        }

        var firstRun = sent.ToArray();
        var serverErrors = firstRun.Where(s => s.Answer.Status is >= 500 or 0).ToArray();
        Assert.True(serverErrors.Length == 0, "5xx or no answer:\n" + string.Join("\n", serverErrors.Take(20).Select(s => s.ToString())) + "\n" + node.Process.RecentOutput());
        Assert.True(hangs.Count == 0, string.Join("\n", hangs));
        var uncorrelated = firstRun.Where(s => s.Answer.Body.Length > 0 && s.Answer.Header("x-correlation-id") is null).ToArray();
        Assert.True(uncorrelated.Length == 0, "answers without X-Correlation-Id:\n" + string.Join("\n", uncorrelated.Take(20)));
        var changes = firstRun.Where(s => s.Changed).ToArray();

        // Restart: everything acknowledged is back, every listing answers, and the log has one event per change.
        await node.StopAsync();
        await node.RestartAsync();
        using var client = node.Client();
        foreach (var listing in new[]
        {
            "/api/v1/tables", $"/api/v1/dump/{Table}", "/api/v1/dump/users", "/api/v1/dump/orders", $"/api/v1/join/{Table}/users/id", "/api/v1/join/users/orders/user_id",
            "/questions", "/answers", "/contagem-pessoas", "/pessoas?t=a", "/users/hostile/score", "/api/all", "/api/v1/events?limit=10000",
        })
        {
            var response = await client.GetAsync(listing);
            Assert.True(response.IsSuccessStatusCode, $"{listing} answered {(int)response.StatusCode} after the restart: {await response.Content.ReadAsStringAsync()}");
        }

        var events = await Eventually.Poll(() => ReadLogAsync(client), log => changes.All(c => log.ContainsKey(c.Correlation)), TimeSpan.FromSeconds(60));
        var missing = changes.Where(c => !events.ContainsKey(c.Correlation)).ToArray();
        Assert.True(missing.Length == 0, "changes without an event:\n" + string.Join("\n", missing.Take(20)));
        var twice = changes.Where(c => events[c.Correlation] != 1).ToArray();
        Assert.True(twice.Length == 0, "changes logged more than once:\n" + string.Join("\n", twice.Take(20)));
        var unchanged = firstRun.Where(s => !s.Changed && events.ContainsKey(s.Correlation)).ToArray();
        Assert.True(unchanged.Length == 0, "requests that changed nothing but have events:\n" + string.Join("\n", unchanged.Take(20)));

        // Every change is readable back: records by their Location, after the restart.
        foreach (var created in changes.Where(c => c.Answer.Status == 201 && c.Answer.Header("location") is not null))
        {
            var read = await client.GetAsync(created.Answer.Header("location"));
            Assert.True(read.IsSuccessStatusCode, $"{created.Answer.Header("location")} answered {(int)read.StatusCode} after the restart");
        }

        var byStatus = firstRun.GroupBy(s => s.Answer.Status).OrderBy(g => g.Key).Select(g => $"{g.Key}: {g.Count()}");
        output.WriteLine($"requests: {firstRun.Length}; 5xx: {serverErrors.Length}; hangs: {hangs.Count}; changes: {changes.Length} (each with exactly one event); " +
                         $"unchanged with an event: {unchanged.Length}; by status: {string.Join(", ", byStatus)}");
        if (Environment.GetEnvironmentVariable("INMEMORYDB_HOSTILE_REPORT") is { Length: > 0 } report)
        {
            await File.WriteAllLinesAsync(report, [$"requests {firstRun.Length}", $"5xx {serverErrors.Length}", $"hangs {hangs.Count}", $"changes {changes.Length}",
                $"unchanged-with-event {unchanged.Length}", .. firstRun.GroupBy(s => s.Answer.Status).OrderBy(g => g.Key).Select(g => $"status {g.Key} {g.Count()}")]);
        }
    }

    private static IEnumerable<(string Method, string Target)> WritingRoutes()
    {
        yield return ("POST", $"/api/v1/data/{Table}");
        yield return ("PUT", $"/api/v1/data/{Table}/base");
        yield return ("POST", "/api/v1/data/users");
        yield return ("POST", "/pessoas");
        yield return ("POST", "/question");
        yield return ("POST", "/answer");
        yield return ("PUT", "/api");
    }

    /// <summary>A text cut to 30 characters without splitting an escape sequence (for fields with short limits).</summary>
    private static string Short(string text) => text.Length <= 30 ? text : text[..30];

    /// <summary>The number of events per correlation id, paging the whole log by its Link header.</summary>
    private static async Task<Dictionary<string, int>> ReadLogAsync(HttpClient client)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var next = "/api/v1/events?limit=1000";
        while (next is not null)
        {
            var response = await client.GetAsync(next);
            Assert.True(response.IsSuccessStatusCode, $"{next} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
            var page = (await response.JsonAsync()).AsArray();
            foreach (var e in page)
            {
                var correlation = (string)e!["correlation_id"]!;
                counts[correlation] = counts.GetValueOrDefault(correlation) + 1;
            }
            var link = response.Headers.TryGetValues("Link", out var values) ? values.First() : null;
            next = page.Count == 0 || link is null ? null : link[1..link.IndexOf('>')];
        }
        return counts;
    }

    private sealed record Sent(string Method, string Target, string Correlation, RawAnswer Answer, bool Repeat)
    {
        /// <summary>True when the answer says the request changed state (a repeat of an idempotent write does not).</summary>
        public bool Changed => !Repeat && (Method, Answer.Status) switch
        {
            ("POST", 201) or ("PUT", 200) or ("DELETE", 204) => !IsKeyValue || WroteKey,
            ("POST", 200) => Target is "/question" or "/answer",
            // Bulk deletes log one event even when they delete nothing.
            ("DELETE", 200) => IsKeyValue ? WroteKey : Target.StartsWith("/question", StringComparison.Ordinal) || Target.StartsWith("/answers", StringComparison.Ordinal),
            _ => false,
        };

        private bool IsKeyValue => Target == "/api" || Target.StartsWith("/api?", StringComparison.Ordinal);

        private bool WroteKey => JsonNode.Parse(Answer.Text)?["status"]?.GetValue<string>() is "stored" or "deleted";

        public override string ToString()
            => $"{Method} {(Target.Length > 120 ? Target[..120] + "…" : Target)} -> {Answer.Status} {(Answer.Text.Length > 300 ? Answer.Text[..300] : Answer.Text)}";
    }
}
