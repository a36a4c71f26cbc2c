using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text.Json;

namespace InMemoryDb.Bench;

/// <summary>
/// The streaming platform's benchmark (bench/run-streaming.sh drives it):
/// <list type="bullet">
/// <item><c>--phase setup</c>: creates <c>--users</c> users with ids <c>--base</c>+i and <c>--items</c> catalogue items,
/// and writes the creates' correlation ids to <c>--ids-file</c> (for status reads).</item>
/// <item><c>--phase route --route NAME</c>: <c>--requests</c> requests of one route with <c>--concurrency</c> in flight
/// (the script counts PostgreSQL transactions around it).</item>
/// <item><c>--phase mix</c>: the mixed workload (create 10 %, subscribe 10 %, pay 20 %, view 30 %, generate 10 %,
/// read status 20 %) at <c>--rate</c>/s for <c>--rounds</c> × <c>--seconds</c> (p50/p99 per round, then per operation),
/// then its closed-loop ceiling with <c>--concurrency</c> in flight.</item>
/// </list>
/// </summary>
internal static class StreamingScenario
{
    /// <summary>The routes, by name.</summary>
    public static readonly string[] Routes = ["create", "subscribe", "pay", "view", "generate", "status", "config", "session", "read"];

    private static readonly (string Route, int Weight)[] Mix = [("create", 10), ("subscribe", 10), ("pay", 20), ("view", 30), ("generate", 10), ("status", 20)];

    public static async Task<int> RunAsync(string url, Options options)
    {
        var phase = options.Get("phase", "mix");
        var users = options.Int("users", 2000);
        var items = options.Int("items", 200);
        var userBase = options.Int("base", 1_000_000);
        var idsFile = options.Get("ids-file", Path.Combine(Path.GetTempPath(), "inmemorydb-streaming-ids.txt"));
        using var http = LoadRunner.Client(url);
        var requests = new Requests(userBase, users, items, File.Exists(idsFile) && phase != "setup" ? File.ReadAllLines(idsFile) : []);

        switch (phase)
        {
            case "setup":
            {
                var ids = new ConcurrentBag<string>();
                var created = await LoadRunner.ClosedAsync("setup users c=16", http, 16, users,
                    i => new HttpRequestMessage(HttpMethod.Post, $"/usuarios?user_id={userBase + i}"),
                    r => Capture(r, ids));
                Console.WriteLine(created);
                Console.WriteLine(await LoadRunner.ClosedAsync("setup items c=16", http, 16, items,
                    i => new HttpRequestMessage(HttpMethod.Post, $"/cache/conteudo/{i + 1}?tipo={Uri.EscapeDataString(Tipo(i))}")));
                await File.WriteAllLinesAsync(idsFile, ids);
                return created.Ok == users ? 0 : 1;
            }
            case "route":
            {
                var route = options.Get("route", "pay");
                if (!Routes.Contains(route))
                {
                    Console.Error.WriteLine($"unknown route '{route}': use one of {string.Join(", ", Routes)}");
                    return 2;
                }
                var stats = await LoadRunner.ClosedAsync($"{route} c={options.Int("concurrency", 16)}", http, options.Int("concurrency", 16),
                    options.Int("requests", 5000), i => requests.For(route, i));
                Console.WriteLine(stats);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ROUTE route={route} ok={stats.Ok} ko={stats.Total - stats.Ok}"));
                return 0;
            }
            case "mix":
            {
                var rate = options.Double("rate", 300);
                var seconds = options.Int("seconds", 20);
                LoadStats? last = null;
                for (var round = 1; round <= options.Int("rounds", 3); round++)
                {
                    last = await LoadRunner.OpenAsync($"mix @{rate}/s #{round}", http, rate, TimeSpan.FromSeconds(seconds), i => requests.For(Pick(i), i));
                    Console.WriteLine(last);
                }
                var ceiling = await LoadRunner.ClosedAsync($"mix c={options.Int("concurrency", 64)}", http, options.Int("concurrency", 64),
                    options.Int("requests", 20_000), i => requests.For(Pick(i), i));
                Console.WriteLine(ceiling);
                // Per operation at the fixed rate (one more round, each operation alone at its share of the rate).
                foreach (var (route, weight) in Mix)
                {
                    var share = rate * weight / 100.0;
                    Console.WriteLine(await LoadRunner.OpenAsync($"{route} @{share:F0}/s", http, share, TimeSpan.FromSeconds(seconds), i => requests.For(route, i)));
                }
                return ceiling.Total == ceiling.Ok && last?.Total == last?.Ok ? 0 : 1;
            }
            default:
                Console.Error.WriteLine($"unknown phase '{phase}': use setup, route or mix");
                return 2;
        }
    }

    /// <summary>The operation of request <paramref name="i"/> in the mix (a fixed pattern of 100).</summary>
    private static string Pick(int i)
    {
        var slot = (int)((uint)(i * 37) % 100);
        foreach (var (route, weight) in Mix)
        {
            if (slot < weight) return route;
            slot -= weight;
        }
        return Mix[^1].Route;
    }

    private static string Tipo(int i) => (i % 3) switch { 0 => "filme", 1 => "série", _ => "documentário" };

    private static bool Capture(HttpResponseMessage response, ConcurrentBag<string> ids)
    {
        if (response.StatusCode != HttpStatusCode.OK) return false;
        using var document = JsonDocument.Parse(response.Content.ReadAsStream());
        ids.Add(document.RootElement.GetProperty("correlation_id").GetString()!);
        return true;
    }

    /// <summary>The request of each route for request number i (users and items chosen round-robin).</summary>
    private sealed class Requests(int userBase, int users, int items, string[] statusIds)
    {
        public HttpRequestMessage For(string route, int i)
        {
            var user = userBase + (int)((uint)(i * 7919) % (uint)users);
            return route switch
            {
                "create" => new HttpRequestMessage(HttpMethod.Post, "/usuarios"),
                "subscribe" => new HttpRequestMessage(HttpMethod.Post, $"/usuarios/{user}/assinatura"),
                "pay" => new HttpRequestMessage(HttpMethod.Post, $"/usuarios/{user}/pagamento?valor=29.90&forma_pagamento=Pix"),
                "view" => new HttpRequestMessage(HttpMethod.Post, $"/historico-visualizacao?user_id={user}&conteudo_id={1 + (i % Math.Max(items, 1))}&tipo={Uri.EscapeDataString(Tipo(i % Math.Max(items, 1)))}"),
                "generate" => new HttpRequestMessage(HttpMethod.Post, $"/recomendacoes/gerar?user_id={user}"),
                "status" => new HttpRequestMessage(HttpMethod.Get, statusIds.Length > 0 ? $"/status/{statusIds[i % statusIds.Length]}" : $"/usuarios/{user}"),
                "config" => new HttpRequestMessage(HttpMethod.Post, $"/usuarios/{user}/config?tema={(i % 2 == 0 ? "escuro" : "claro")}"),
                "session" => new HttpRequestMessage(HttpMethod.Post, $"/sessoes?user_id={user}"),
                "read" => new HttpRequestMessage(HttpMethod.Get, $"/usuarios/{user}"),
                _ => throw new ArgumentOutOfRangeException(nameof(route), route, null),
            };
        }
    }
}
