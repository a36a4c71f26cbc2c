using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace InMemoryDb.Bench.Rinha;

/// <summary>
/// The Rinha de Backend 2023 Q3 stress test (its Gatling simulation) as an open model: every arrival time is
/// computed up front, and each virtual user starts on time whatever the service does. Three scenarios start at
/// t = 0: "criação" (POST a payload row, pause 1–30 ms, GET the Location after a 201), "busca válida"
/// (GET /pessoas?t=term) and "busca inválida" (GET /pessoas, OK only on 400). Each user opens its own HTTP/1.1
/// connection (<see cref="UserConnection"/>; 10 s connect timeout, 60 s request timeout); latency runs from the
/// start of the user's request, connect included, to the end of the response body.
/// </summary>
public static class RinhaLoadTest
{
    /// <summary>The request names, as in the contest's report.</summary>
    public const string Criacao = "criação", Consulta = "consulta", BuscaValida = "busca válida", BuscaInvalida = "busca inválida";

    /// <summary>The contest's injection profile of "criação".</summary>
    public static readonly InjectionStep[] CriacaoSteps =
    [
        InjectionStep.Constant(2, 10),
        InjectionStep.Constant(5, 15, randomized: true),
        InjectionStep.Ramp(6, 600, 180),
    ];

    /// <summary>The contest's injection profile of "busca válida".</summary>
    public static readonly InjectionStep[] BuscaValidaSteps = [InjectionStep.Constant(2, 25), InjectionStep.Ramp(6, 100, 180)];

    /// <summary>The contest's injection profile of "busca inválida".</summary>
    public static readonly InjectionStep[] BuscaInvalidaSteps = [InjectionStep.Constant(2, 25), InjectionStep.Ramp(6, 40, 180)];

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(60);
    private const double WindowMs = 20_000;

    private enum Scenario
    {
        Criacao,
        BuscaValida,
        BuscaInvalida,
    }

    private readonly record struct Arrival(double AtMs, Scenario Scenario, int Index);

    /// <summary>The command line entry: runs, prints the report, returns 0 when count == expected and ko == 0.</summary>
    public static async Task<int> MainAsync(RinhaSettings settings)
    {
        var result = await RunAsync(settings, Console.Out);
        return result.Passed ? 0 : 1;
    }

    /// <summary>Runs the load test against <see cref="RinhaSettings.BaseUrl"/>, writing the report to <paramref name="output"/>.</summary>
    public static async Task<RinhaResult> RunAsync(RinhaSettings settings, TextWriter output)
    {
        var payloads = ReadRows(Path.Combine(settings.DataDirectory, "pessoas-payloads.tsv"));
        var terms = ReadRows(Path.Combine(settings.DataDirectory, "termos-busca.tsv"));
        var random = new Random(settings.Seed);
        var arrivals = Schedule(Scenario.Criacao, CriacaoSteps, settings, random)
            .Concat(Schedule(Scenario.BuscaValida, BuscaValidaSteps, settings, random))
            .Concat(Schedule(Scenario.BuscaInvalida, BuscaInvalidaSteps, settings, random))
            .OrderBy(a => a.AtMs)
            .ToArray();
        var creations = arrivals.Count(a => a.Scenario == Scenario.Criacao);
        var pauses = Enumerable.Range(0, creations).Select(_ => random.Next(1, 31)).ToArray();

        // What the service must end up with: every row sent, in order, under the contest's rules.
        var rules = new ContestRules();
        for (var i = 0; i < creations; i++) rules.Accept(payloads[i % payloads.Length]);

        var baseUri = new Uri(settings.BaseUrl);
        var stats = new Dictionary<string, RequestStats>
        {
            [Criacao] = new(Criacao),
            [Consulta] = new(Consulta),
            [BuscaValida] = new(BuscaValida),
            [BuscaInvalida] = new(BuscaInvalida),
        };
        var global = new RequestStats("Global");
        var lag = new RequestStats("generator lag");
        // Where in the run the tail happens: all requests by the window of WindowMs in which they finished.
        var windows = new RequestStats[(int)(arrivals.Length == 0 ? 1 : arrivals[^1].AtMs / WindowMs + 2)];
        for (var w = 0; w < windows.Length; w++) windows[w] = new RequestStats(FormattableString.Invariant($"{w * WindowMs / 1000}-{(w + 1) * WindowMs / 1000}s"));
        var clock = new Stopwatch();
        void Record(string name, double ms, int? status, bool ok, string? error)
        {
            stats[name].Record(ms, status, ok, error);
            global.Record(ms, status, ok, error);
            windows[Math.Min((int)(clock.Elapsed.TotalMilliseconds / WindowMs), windows.Length - 1)].Record(ms, status, ok, error);
        }

        var span = arrivals.Length == 0 ? 0 : arrivals[^1].AtMs / 1000;
        output.WriteLine(FormattableString.Invariant(
            $"rinha: {creations} criação, {arrivals.Count(a => a.Scenario == Scenario.BuscaValida)} busca válida, {arrivals.Count(a => a.Scenario == Scenario.BuscaInvalida)} busca inválida arrivals over {span:F1} s (rates x{settings.RateScale}, durations x{settings.TimeScale}); target {settings.BaseUrl}; expected people {rules.Created}"));

        var users = new List<Task>(arrivals.Length);
        clock.Start();
        var nextProgress = 10_000.0;
        var next = 0;
        while (next < arrivals.Length)
        {
            var now = clock.Elapsed.TotalMilliseconds;
            while (next < arrivals.Length && arrivals[next].AtMs <= now)
            {
                var arrival = arrivals[next++];
                lag.Record(now - arrival.AtMs, null, true, null);
                users.Add(arrival.Scenario switch
                {
                    Scenario.Criacao => CriacaoAsync(baseUri, payloads[arrival.Index % payloads.Length], pauses[arrival.Index], Record),
                    Scenario.BuscaValida => SearchAsync(baseUri, BuscaValida, "/pessoas?t=" + Uri.EscapeDataString(terms[arrival.Index % terms.Length]), 200, Record),
                    _ => SearchAsync(baseUri, BuscaInvalida, "/pessoas", 400, Record),
                });
            }
            if (now >= nextProgress)
            {
                output.WriteLine(FormattableString.Invariant($"  t={now / 1000:F0}s users={next} requests={global.Total} ko={global.Ko}"));
                nextProgress += 10_000;
            }
            if (next < arrivals.Length)
            {
                var wait = arrivals[next].AtMs - clock.Elapsed.TotalMilliseconds;
                if (wait > 0) await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(1, wait)));
            }
        }
        await Task.WhenAll(users);
        var seconds = clock.Elapsed.TotalSeconds;

        await Task.Delay(settings.CountWait);
        var count = await ReadCountAsync(baseUri);

        var requests = new[] { global }.Concat(stats.Values).ToArray();
        output.WriteLine(FormattableString.Invariant($"---- {seconds:F1} s, {global.Total} requests ----"));
        output.WriteLine(RequestStats.Header);
        foreach (var request in requests) output.WriteLine(request.Row(seconds));
        foreach (var request in requests.Skip(1))
        {
            var statuses = string.Join(" ", request.Statuses.Select(s => $"{s.Key}:{s.Value}"));
            var errors = request.Errors.Count == 0 ? "" : "  errors: " + string.Join(", ", request.Errors.Select(e => $"{e.Key}: {e.Value}"));
            output.WriteLine($"{request.Name,-16}statuses {statuses}{errors}");
        }
        output.WriteLine(FormattableString.Invariant($"by {WindowMs / 1000} s window of completion:"));
        foreach (var window in windows.Where(w => w.Total > 0)) output.WriteLine(window.Row(WindowMs / 1000.0));
        output.WriteLine(FormattableString.Invariant($"generator lag (start behind schedule): p99={lag.Percentile(99):F2}ms max={lag.Percentile(100):F2}ms"));
        var result = new RinhaResult(count, rules.Created, global.Percentile(99), global.Ko, requests);
        output.WriteLine(result.Summary);
        return result;
    }

    /// <summary>The data rows of a TSV file (the header line dropped).</summary>
    public static string[] ReadRows(string path)
        => File.ReadLines(path).Skip(1).Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).ToArray();

    private static IEnumerable<Arrival> Schedule(Scenario scenario, InjectionStep[] steps, RinhaSettings settings, Random random)
    {
        var offset = 0.0;
        var index = 0;
        var list = new List<Arrival>();
        foreach (var step in steps.Select(s => s.Scale(settings.RateScale, settings.TimeScale)))
        {
            foreach (var t in step.Arrivals(random)) list.Add(new Arrival((offset + t) * 1000, scenario, index++));
            offset += step.Seconds;
        }
        return list;
    }

    private static async Task CriacaoAsync(Uri baseUri, string payload, int pauseMs, Action<string, double, int?, bool, string?> record)
    {
        UserConnection? connection = null;
        string? location = null;
        var closes = false;
        var start = Stopwatch.GetTimestamp();
        try
        {
            using var timeout = new CancellationTokenSource(RequestTimeout);
            connection = await UserConnection.OpenAsync(baseUri, ConnectTimeout, timeout.Token);
            var answer = await connection.SendAsync("POST", "/pessoas", Encoding.UTF8.GetBytes(payload), timeout.Token);
            var status = answer.Status;
            location = status == 201 ? answer.Location : null;
            closes = answer.Closes;
            var ok = status is 201 or 422 or 400 && (status != 201 || location is not null);
            record(Criacao, Elapsed(start), status, ok, ok ? null : status == 201 ? "201 without Location" : $"unexpected status {status}");
        }
        catch (Exception e)
        {
            record(Criacao, Elapsed(start), null, false, ErrorKind(e));
            connection?.Dispose();
            return;
        }

        using (connection)
        {
            await Task.Delay(pauseMs);
            if (location is null) return;
            // The user's connection is kept alive for its next request (a new one only if the server closed it).
            await GetAsync(closes ? null : connection, baseUri, Consulta, location, okStatus: null, record);
        }
    }

    private static Task SearchAsync(Uri baseUri, string name, string path, int okStatus, Action<string, double, int?, bool, string?> record)
        => GetAsync(null, baseUri, name, path, okStatus == 400 ? 400 : null, record);

    /// <summary>A GET on <paramref name="connection"/> (a new one when null); OK on <paramref name="okStatus"/>, or on 2xx/304 when it is null.</summary>
    private static async Task GetAsync(UserConnection? connection, Uri baseUri, string name, string path, int? okStatus, Action<string, double, int?, bool, string?> record)
    {
        var start = Stopwatch.GetTimestamp();
        var owned = connection is null;
        try
        {
            using var timeout = new CancellationTokenSource(RequestTimeout);
            connection ??= await UserConnection.OpenAsync(baseUri, ConnectTimeout, timeout.Token);
            var answer = await connection.SendAsync("GET", path, null, timeout.Token);
            var status = answer.Status;
            var ok = okStatus is { } expected ? status == expected : status is >= 200 and < 300 or 304;
            record(name, Elapsed(start), status, ok, ok ? null : $"unexpected status {status}");
        }
        catch (Exception e)
        {
            record(name, Elapsed(start), null, false, ErrorKind(e));
        }
        finally
        {
            if (owned) connection?.Dispose();
        }
    }

    private static async Task<long> ReadCountAsync(Uri baseUri)
    {
        try
        {
            using var http = new HttpClient { BaseAddress = baseUri, Timeout = RequestTimeout };
            var text = await http.GetStringAsync("/contagem-pessoas");
            return long.Parse(text.Trim(), CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or FormatException)
        {
            return -1;
        }
    }

    private static double Elapsed(long start) => Stopwatch.GetElapsedTime(start).TotalMilliseconds;

    private static string ErrorKind(Exception e) => e switch
    {
        TimeoutException => "connect timeout (10 s)",
        OperationCanceledException => "request timeout (60 s)",
        SocketException socket => $"socket: {socket.SocketErrorCode}",
        IOException or InvalidDataException => e.Message,
        _ => e.GetType().Name,
    };
}
