using System.Globalization;
using InMemoryDb.Bench;

// InMemoryDb load generator. Loopback targets only; every scenario is bounded in requests and time.
//   dotnet run -c Release --project bench/InMemoryDb.Bench -- rinha [--url http://127.0.0.1:9999] [--data ../shared/rinha] [--rate-scale 1] [--time-scale 1] [--seed 2023]
//   dotnet run -c Release --project bench/InMemoryDb.Bench -- tables [--url http://127.0.0.1:5080] [--records 100000] [--rate 1000] [--seconds 20] [--repeats 5]
//   dotnet run -c Release --project bench/InMemoryDb.Bench -- questions [--url http://127.0.0.1:5080] [--questions 1000] [--users 100] [--attempts 10]
//   dotnet run -c Release --project bench/InMemoryDb.Bench -- closed [--method POST] [--path /api/v1/data/t] [--body JSON] [--requests 20000] [--concurrency 64] [--keys N]
//   dotnet run -c Release --project bench/InMemoryDb.Bench -- fetch [--path /api/v1/join/users/orders/user_id] [--repeats 5]
//   dotnet run -c Release --project bench/InMemoryDb.Bench -- kv [--url http://127.0.0.1:5080] [--phase all] (see KvScenario; bench/run-kv.sh runs it)
//   dotnet run -c Release --project bench/InMemoryDb.Bench -- streaming [--phase setup|route|mix] (see StreamingScenario; bench/run-streaming.sh runs it)
var command = args.FirstOrDefault() ?? "help";
var options = Options.Parse(args.Skip(1));
var url = options.Get("url", "http://127.0.0.1:5080");
if (!Uri.TryCreate(url, UriKind.Absolute, out var target) || !(target.IsLoopback))
{
    Console.Error.WriteLine($"Refusing to load {url}: benchmarks target loopback only.");
    return 2;
}

return command switch
{
    "rinha" => await InMemoryDb.Bench.Rinha.RinhaLoadTest.MainAsync(new(url, options.Get("data", "../shared/rinha"), options.Double("rate-scale", 1), options.Double("time-scale", 1), options.Int("seed", 2023))),
    "tables" => await TablesScenario.RunAsync(url, options.Int("records", 100_000), options.Double("rate", 1000), options.Int("seconds", 20), options.Int("repeats", 5)),
    "questions" => await QuestionsScenario.RunAsync(url, options.Int("questions", 1000), options.Int("users", 100), options.Int("attempts", 10), options.Int("rounds", 5)),
    "kv" => await KvScenario.RunAsync(url, options),
    "streaming" => await StreamingScenario.RunAsync(url, options),
    "probe" => await Probe(url, options.Get("method", "GET"), options.Get("path", "/health"), options.Get("body", ""), options.Int("keys", 1000),
        options.Double("rate", 1000), options.Int("seconds", 10), options.Int("rounds", 3), options.Double("warmup", 2)),
    "closed" => await Closed(url, options.Get("method", "GET"), options.Get("path", "/health"), options.Get("body", ""),
        options.Int("requests", 20_000), options.Int("concurrency", 64), options.Int("rounds", 3), options.Int("keys", 0)),
    "fetch" => await Fetch(url, options.Get("path", "/health"), options.Int("repeats", 5)),
    _ => Usage(),
};

// Sends one kind of request at a fixed rate, several rounds: e.g. the latency floor of the baseline server, or of
// one route. "{i}" in the path or body becomes the request number modulo --keys. First, --warmup seconds of the
// same load go unmeasured: without them the first round also measured this process's start (its first requests
// wait for new connections and for the JIT: at 100 req/s, its first 150 ms were 1 % of a 15 s round, above 20 ms).
static async Task<int> Probe(string url, string method, string path, string body, int keys, double rate, int seconds, int rounds, double warmup)
{
    using var http = LoadRunner.Client(url);
    Func<int, HttpRequestMessage> request = i =>
    {
        var key = (i % keys).ToString(CultureInfo.InvariantCulture);
        return Request(method, path, body, text => text.Replace("{i}", key, StringComparison.Ordinal));
    };
    if (warmup > 0) await LoadRunner.OpenAsync("warm-up", http, rate, TimeSpan.FromSeconds(warmup), request);
    for (var round = 1; round <= rounds; round++)
    {
        Console.WriteLine(await LoadRunner.OpenAsync($"{method} {path} @{rate}/s #{round}", http, rate, TimeSpan.FromSeconds(seconds), request));
    }
    return 0;
}

// Sends --requests requests with --concurrency in flight (closed loop), several rounds: the throughput ceiling of
// one route. "{i}" in the path or body becomes a number unique across rounds (modulo --keys when given, to reuse
// existing keys), "{i6}" the same number in six digits (the anchors' key names: k{i6}), "{run}" a word unique to this run.
static async Task<int> Closed(string url, string method, string path, string body, int requests, int concurrency, int rounds, int keys)
{
    using var http = LoadRunner.Client(url);
    var run = Guid.NewGuid().ToString("N")[..8];
    for (var round = 1; round <= rounds; round++)
    {
        var offset = (round - 1) * requests;
        var stats = await LoadRunner.ClosedAsync($"{method} {path} c={concurrency} #{round}", http, concurrency, requests, i =>
        {
            var n = keys > 0 ? (offset + i) % keys : offset + i;
            var key = n.ToString(CultureInfo.InvariantCulture);
            var key6 = n.ToString("D6", CultureInfo.InvariantCulture);
            return Request(method, path, body, text => text.Replace("{i}", key, StringComparison.Ordinal).Replace("{i6}", key6, StringComparison.Ordinal)
                .Replace("{run}", run, StringComparison.Ordinal));
        });
        Console.WriteLine(stats);
    }
    return 0;
}

// One request of probe or closed: path and body (JSON, none when empty) with their placeholders filled.
static HttpRequestMessage Request(string method, string path, string body, Func<string, string> fill)
{
    var request = new HttpRequestMessage(new HttpMethod(method), fill(path));
    if (body.Length > 0) request.Content = new StringContent(fill(body), System.Text.Encoding.UTF8, "application/json");
    return request;
}

// GETs one (large) answer --repeats times in a row, timed to its last byte: e.g. a join or a dump of a running API.
static async Task<int> Fetch(string url, string path, int repeats)
{
    using var http = LoadRunner.Client(url);
    Console.WriteLine(TablesScenario.Line($"GET {path}", await TablesScenario.TimeAsync(repeats, http, path), -1));
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: InMemoryDb.Bench tables [--url URL] [--records N] [--rate R] [--seconds S] [--repeats K]");
    Console.Error.WriteLine("       InMemoryDb.Bench questions [--url URL] [--questions N] [--users U] [--attempts K] [--rounds R]");
    Console.Error.WriteLine("       InMemoryDb.Bench kv [--url URL] [--phase seed|run|all] [--name LABEL] [--keys N] [--hot N] [--requests N] [--concurrency C] [--rate R] [--seconds S]");
    Console.Error.WriteLine("       InMemoryDb.Bench probe [--url URL] [--method GET] [--path /health] [--body JSON] [--keys N] [--rate R] [--seconds S] [--rounds K] [--warmup S]");
    Console.Error.WriteLine("       InMemoryDb.Bench closed [--url URL] [--method GET] [--path /health] [--body JSON] [--requests N] [--concurrency C] [--rounds K]");
    Console.Error.WriteLine("       InMemoryDb.Bench fetch [--url URL] [--path /api/v1/dump/t] [--repeats K]");
    Console.Error.WriteLine("       InMemoryDb.Bench rinha [--url URL] [--data DIR] [--rate-scale X] [--time-scale Y] [--seed N]");
    return 2;
}

/// <summary>--name value pairs.</summary>
internal sealed class Options(Dictionary<string, string> values)
{
    public static Options Parse(IEnumerable<string> args)
    {
        var list = args.ToList();
        var values = new Dictionary<string, string>();
        for (var i = 0; i + 1 < list.Count; i += 2) values[list[i].TrimStart('-')] = list[i + 1];
        return new Options(values);
    }

    public string Get(string name, string fallback) => values.GetValueOrDefault(name, fallback);
    public int Int(string name, int fallback) => values.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
    public double Double(string name, double fallback) => values.TryGetValue(name, out var v) ? double.Parse(v, CultureInfo.InvariantCulture) : fallback;
}
