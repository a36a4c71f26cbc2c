using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace InMemoryDb.Bench;

/// <summary>
/// Issue 4's benchmark of the key-value API (seed 003 routes) over HTTP, identical for every target (InMemoryDb single
/// node, the cluster behind nginx, the ConcurrentDictionary baseline):
/// <list type="bullet">
/// <item>phase <c>seed</c>: PUT the cold keys (the caller then restarts the target, so none of them is in memory);</item>
/// <item>phase <c>run</c>: GET each cold key once (each loads from storage), GET hot keys as fast as the target answers
/// (closed loop), PUT at a fixed rate after a PUT warm-up (open loop, latency from the scheduled time) of existing keys
/// and of new keys,
/// and the PUT ceiling;</item>
/// <item>phase <c>all</c>: both without a restart in between (for the baseline, which has no storage to load from).</item>
/// </list>
/// </summary>
internal static class KvScenario
{
    public static async Task<int> RunAsync(string baseUrl, Options options)
    {
        var phase = options.Get("phase", "all");
        var name = options.Get("name", "target");
        var prefix = options.Get("prefix", "bench");
        var coldKeys = options.Int("keys", 20_000);
        var hotKeys = options.Int("hot", 100);
        var hotRequests = options.Int("requests", 200_000);
        var concurrency = options.Int("concurrency", 64);
        var rate = options.Double("rate", 1000);
        var seconds = options.Int("seconds", 20);
        using var http = LoadRunner.Client(baseUrl);
        var results = new List<string>();
        void Report(LoadStats stats)
        {
            var line = $"[{name}] {stats}";
            Console.WriteLine(line);
            results.Add(line);
        }

        if (phase is "seed" or "all")
        {
            Report(await LoadRunner.ClosedAsync($"seed PUT {coldKeys} cold keys", http, concurrency, coldKeys,
                i => Put($"{prefix}-cold-{i:D7}", Value(i))));
        }
        if (phase is "run" or "all")
        {
            var fromStorage = 0;
            Report(await LoadRunner.ClosedAsync($"GET cold (c={concurrency})", http, concurrency, coldKeys,
                i => new HttpRequestMessage(HttpMethod.Get, $"/api?key={prefix}-cold-{i:D7}"),
                r =>
                {
                    if (r.StatusCode != HttpStatusCode.OK) return false;
                    if (Source(r) == "postgres") Interlocked.Increment(ref fromStorage);
                    return true;
                }));
            var line = $"[{name}] cold GETs answered from postgres: {fromStorage} of {coldKeys}";
            Console.WriteLine(line);
            results.Add(line);

            await LoadRunner.ClosedAsync("hot seed", http, concurrency, hotKeys, i => Put($"{prefix}-hot-{i:D4}", Value(i)));
            await LoadRunner.ClosedAsync("hot warm-up", http, concurrency, Math.Max(hotKeys * 20, 5000), i => Get($"{prefix}-hot-{i % hotKeys:D4}"));
            Report(await LoadRunner.ClosedAsync($"GET hot {hotKeys} keys (c={concurrency})", http, concurrency, hotRequests,
                i => Get($"{prefix}-hot-{i % hotKeys:D4}")));
            // The write path warms up (JIT tiers, prepared statements on every pooled connection) on keys of its own.
            await LoadRunner.ClosedAsync("PUT warm-up", http, concurrency / 2, 10_000, i => Put($"{prefix}-warm-{i % 2000:D4}", Value(i)));
            // Updates of keys already in memory (the cold keys, read above), then writes of keys never seen (each activates a grain).
            Report(await LoadRunner.OpenAsync($"PUT existing @{rate}/s", http, rate, TimeSpan.FromSeconds(seconds),
                i => Put($"{prefix}-cold-{i % coldKeys:D7}", Value(-i))));
            Report(await LoadRunner.OpenAsync($"PUT new @{rate}/s", http, rate, TimeSpan.FromSeconds(seconds),
                i => Put($"{prefix}-put-{i % 50_000:D5}", Value(i))));
            Report(await LoadRunner.ClosedAsync($"PUT max (c={concurrency})", http, concurrency, (int)(rate * seconds),
                i => Put($"{prefix}-max-{i % 50_000:D5}", Value(i))));
        }

        var path = Path.Combine("bench", "results", $"kv-{name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllLinesAsync(path, results);
        Console.WriteLine($"results written to {path}");
        return 0;
    }

    private static string Value(int i) => $"value {i} " + new string('x', 64);

    private static HttpRequestMessage Get(string key) => new(HttpMethod.Get, $"/api?key={key}");

    private static HttpRequestMessage Put(string key, string value)
        => new(HttpMethod.Put, "/api")
        {
            Content = new StringContent(JsonSerializer.Serialize(new { key, value }), Encoding.UTF8, "application/json"),
        };

    private static string? Source(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(response.Content.ReadAsStream());
        return document.RootElement.TryGetProperty("source", out var source) ? source.GetString() : null;
    }
}
