using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace InMemoryDb.Bench;

/// <summary>
/// Issue 2's benchmark over HTTP: single-record create/get/update at a fixed rate (p50/p99), the durable create
/// ceiling, a dump of N records and a join of N users × N orders.
/// </summary>
public static class TablesScenario
{
    private const int WarmUpRuns = 5;
    private static readonly TimeSpan MaxWarmUp = TimeSpan.FromSeconds(120);

    public static async Task<int> RunAsync(string baseUrl, int records, double rate, int seconds, int repeats)
    {
        using var http = LoadRunner.Client(baseUrl);
        var run = Guid.NewGuid().ToString("N")[..8];
        var table = $"bench_{run}";
        var results = new List<string>();
        void Report(string line)
        {
            Console.WriteLine(line);
            results.Add(line);
        }

        // Warm-up: JIT tiers, connection pools and prepared statements settle before anything is measured. A fresh
        // process keeps getting faster for about a minute (tiered JIT), so rounds of closed-loop creates, reads and
        // updates run until a round's create rate no longer beats the best before it by 5 % (at most MaxWarmUp).
        var warmUp = Stopwatch.StartNew();
        var bestCreateRate = 0.0;
        for (var round = 1; ; round++)
        {
            var prefix = $"w{round}_";
            var creates = await LoadRunner.ClosedAsync($"warm-up #{round} create", http, 32, 6000, i => Post(table + "_warm", $$"""{"id":"{{prefix}}{{i}}","i":{{i}}}"""));
            Report(creates.ToString());
            Report((await LoadRunner.ClosedAsync($"warm-up #{round} get/update", http, 32, 6000, i => i % 2 == 0
                ? new HttpRequestMessage(HttpMethod.Get, $"/api/v1/data/{table}_warm/{prefix}{i}")
                : new HttpRequestMessage(HttpMethod.Put, $"/api/v1/data/{table}_warm/{prefix}{i - 1}") { Content = Json("{\"data\":{\"j\":1}}") })).ToString());
            var settled = round > 1 && creates.Throughput < bestCreateRate * 1.05;
            bestCreateRate = Math.Max(bestCreateRate, creates.Throughput);
            if (settled || warmUp.Elapsed > MaxWarmUp) break;
        }
        Report(string.Create(CultureInfo.InvariantCulture, $"(warmed up in {warmUp.Elapsed.TotalSeconds:F0} s)"));

        // Single-record operations at a fixed arrival rate.
        var ids = new string[(int)(rate * seconds)];
        var create = await LoadRunner.OpenAsync($"create @{rate}/s", http, rate, TimeSpan.FromSeconds(seconds),
            i =>
            {
                ids[i] = $"r{i:D7}";
                return Post(table, $$"""{"id":"{{ids[i]}}","name":"record {{i}}","n":{{i}},"tags":["a","b"]}""");
            },
            r => r.StatusCode == HttpStatusCode.Created);
        Report(create.ToString());
        var get = await LoadRunner.OpenAsync($"get @{rate}/s", http, rate, TimeSpan.FromSeconds(seconds),
            i => new HttpRequestMessage(HttpMethod.Get, $"/api/v1/data/{table}/{ids[i % ids.Length]}"));
        Report(get.ToString());
        var update = await LoadRunner.OpenAsync($"update @{rate}/s", http, rate, TimeSpan.FromSeconds(seconds),
            i => new HttpRequestMessage(HttpMethod.Put, $"/api/v1/data/{table}/{ids[i % ids.Length]}") { Content = Json("{\"data\":{\"n\":" + (-i).ToString(CultureInfo.InvariantCulture) + "}}") });
        Report(update.ToString());

        // The durable create ceiling: as many concurrent creates as the node takes.
        var ceiling = await LoadRunner.ClosedAsync("create max (c=64)", http, 64, records,
            i => Post($"{table}_dump", $$"""{"name":"record {{i}}","n":{{i}},"nested":{"ok":true} }"""),
            r => r.StatusCode == HttpStatusCode.Created);
        Report(ceiling.ToString());

        // Whole-table reads are timed on their own: first let the writes' background work (the event log
        // appends of the records just created) finish.
        await SettleAsync(http);
        // The first runs of a whole-table read are slower while its loops are compiled again optimized (tiered
        // JIT): they are reported apart, as the cold figure; the median is over the runs after them.
        var dumpCold = await TimeAsync(WarmUpRuns, http, $"/api/v1/dump/{table}_dump");
        Report(Line($"dump {records} (first {WarmUpRuns})", dumpCold, records));
        var dump = await TimeAsync(repeats, http, $"/api/v1/dump/{table}_dump");
        Report(Line($"dump {records} records", dump, records));

        // Join: N users × N orders (order i belongs to user i).
        var users = await LoadRunner.ClosedAsync("seed users", http, 64, records,
            i => Post("users", $$"""{"id":"u{{run}}{{i:D7}}","email":"u{{run}}{{i}}@bench.example.com","full_name":"User {{i}}","age":{{i % 100}},"password":"benchmark-pass"}"""),
            r => r.StatusCode == HttpStatusCode.Created);
        Report(users.ToString());
        var orders = await LoadRunner.ClosedAsync("seed orders", http, 64, records,
            i => Post("orders", $$"""{"id":"o{{run}}{{i:D7}}","product_name":"Product {{i}}","quantity":{{1 + i % 5}},"total_price":{{i % 1000}}.5,"user_id":"u{{run}}{{i:D7}}"}"""),
            r => r.StatusCode == HttpStatusCode.Created);
        Report(orders.ToString());
        await SettleAsync(http);
        var joinCold = await TimeAsync(WarmUpRuns, http, "/api/v1/join/users/orders/user_id");
        Report(Line($"join (first {WarmUpRuns})", joinCold, -1));
        var join = await TimeAsync(repeats, http, "/api/v1/join/users/orders/user_id");
        Report(Line($"join users x orders", join, -1));

        var path = Path.Combine("bench", "results", $"tables-{DateTime.UtcNow:yyyyMMdd-HHmmss}.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllLinesAsync(path, results);
        Console.WriteLine($"results written to {path}");
        return 0;
    }

    /// <summary>Waits until the event log stops growing (every acknowledged write's event is stored), at most 60 s.</summary>
    private static async Task SettleAsync(HttpClient http)
    {
        var watch = Stopwatch.StartNew();
        long last = -1;
        while (watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            var position = await LastEventPositionAsync(http, Math.Max(last, 0));
            if (position == last) break;
            last = position;
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"(settled in {watch.Elapsed.TotalSeconds:F0} s at event position {last})"));
    }

    private static async Task<long> LastEventPositionAsync(HttpClient http, long after)
    {
        // Pages through the log from a known position; the last event's position is the log's length.
        while (true)
        {
            using var document = JsonDocument.Parse(await http.GetStringAsync($"/api/v1/events?after={after}&limit=10000"));
            var events = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement : document.RootElement.GetProperty("events");
            if (events.GetArrayLength() == 0) return after;
            after = events[events.GetArrayLength() - 1].GetProperty("position").GetInt64();
        }
    }

    private static HttpRequestMessage Post(string table, string dataJson)
        => new(HttpMethod.Post, $"/api/v1/data/{table}") { Content = Json("{\"data\":" + dataJson + "}") };

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>
    /// Times requests to the last byte of the body (checking the body is not part of the time). The body is read
    /// as a stream into one buffer kept across runs, as curl would write it to a file: buffering a 50 MB answer the
    /// default way (a growing buffer per request) costs the client, on the same two cores, more than the server's
    /// work, so the figure would mostly measure the client.
    /// </summary>
    internal static async Task<(double[] Milliseconds, HttpStatusCode Status, int Items)> TimeAsync(int repeats, HttpClient http, string path)
    {
        var times = new List<double>();
        HttpStatusCode status = 0;
        var items = 0;
        var body = new MemoryStream();
        for (var i = 0; i < repeats; i++)
        {
            body.SetLength(0);
            var watch = Stopwatch.StartNew();
            using (var response = await http.GetAsync(path, HttpCompletionOption.ResponseHeadersRead))
            {
                await using var stream = await response.Content.ReadAsStreamAsync();
                await stream.CopyToAsync(body, 1 << 16);
                status = response.StatusCode;
            }
            times.Add(watch.Elapsed.TotalMilliseconds);
            items = CountArray(body.GetBuffer().AsMemory(0, (int)body.Length));
        }
        return (times.ToArray(), status, items);
    }

    internal static string Line(string name, (double[] Milliseconds, HttpStatusCode Status, int Items) timing, int expected)
    {
        var sorted = timing.Milliseconds.Order().ToArray();
        var median = sorted[sorted.Length / 2];
        var check = expected < 0 || timing.Items == expected ? "" : $" (expected {expected} items!)";
        return string.Create(CultureInfo.InvariantCulture,
            $"{name,-28} status={(int)timing.Status} items={timing.Items}{check} runs={sorted.Length} median={median:F0}ms min={sorted[0]:F0}ms max={sorted[^1]:F0}ms (first run {timing.Milliseconds[0]:F0}ms)");
    }

    private static int CountArray(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.GetArrayLength() : -1;
    }
}
