using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace InMemoryDb.Bench;

/// <summary>
/// Issue 3's benchmark over HTTP (seed 000's routes): seeds N questions, warms up, then U users answer K attempts each,
/// all users at once (one request in flight per user), in several rounds of new users; reports answers/s and latency
/// percentiles per round and their medians, then times the listings, the scores and the bulk deletes, checking every
/// count.
/// </summary>
public static class QuestionsScenario
{
    private const int WarmUpAnswers = 5000;

    public static async Task<int> RunAsync(string baseUrl, int questions, int users, int attempts, int rounds)
    {
        using var http = LoadRunner.Client(baseUrl);
        var results = new List<string>();
        void Report(string line)
        {
            Console.WriteLine(line);
            results.Add(line);
        }

        // Start from empty collections (questions and answers are global to the service).
        Report(await TimedAsync("clear answers", () => http.DeleteAsync("/answers")));
        Report(await TimedAsync("clear questions", () => http.DeleteAsync("/questions")));

        var seed = await LoadRunner.ClosedAsync($"create {questions} questions", http, 64, questions, i => Post("/question", QuestionJson(i + 1)));
        Report(seed.ToString());
        var warm = await LoadRunner.ClosedAsync("warm-up answers", http, 32, WarmUpAnswers,
            i => Post("/answer", AnswerJson(1 + i % questions, $"warmup{i}", 1, "a")));
        Report(warm.ToString());

        // User u's attempt n (1..attempts) answers a pseudo-random question; workers = users, so each user has one in
        // flight. Every round has its own users (round r's user u is "r{r}user{u}").
        var random = new Random(42);
        var measured = new List<LoadStats>();
        for (var round = 1; round <= rounds; round++)
        {
            var plan = Enumerable.Range(0, users * attempts).Select(_ => (Question: 1 + random.Next(questions), Choice: "abcd"[random.Next(4)])).ToArray();
            var prefix = $"r{round}user";
            var answers = await LoadRunner.ClosedAsync($"answers {users}u x {attempts} #{round}", http, users, users * attempts,
                i => Post("/answer", AnswerJson(plan[i].Question, $"{prefix}{i % users:D4}", i / users + 1, plan[i].Choice.ToString())));
            Report(answers.ToString());
            measured.Add(answers);
        }
        double Median(Func<LoadStats, double> of) => measured.Select(of).Order().ElementAt(measured.Count / 2);
        Report(string.Create(CultureInfo.InvariantCulture,
            $"=> median of {rounds} rounds: answers/s={Median(r => r.Throughput):F0} p50={Median(r => r.Percentile(50)):F2}ms p99={Median(r => r.Percentile(99)):F2}ms"));

        var expectedAnswers = rounds * users * attempts + WarmUpAnswers;
        Report(await CountedAsync("list answers", http, "/answers", expectedAnswers));
        Report(await CountedAsync("list questions", http, "/questions", questions));
        Report(await CountedAsync("answers of one user", http, "/answers?usuario=r1user0000", attempts));
        var scores = await LoadRunner.ClosedAsync($"score x{users}", http, 32, users,
            i => new HttpRequestMessage(HttpMethod.Get, $"/users/r1user{i:D4}/score"),
            r => r.IsSuccessStatusCode && AttemptsOf(r) == attempts);
        Report(scores.ToString());

        Report(await TimedAsync($"delete answers ({expectedAnswers})", () => http.DeleteAsync("/answers"), $"{expectedAnswers} answers deleted"));
        Report(await TimedAsync($"delete questions ({questions})", () => http.DeleteAsync("/questions"), $"{questions} questions deleted"));

        var path = Path.Combine("bench", "results", $"questions-{DateTime.UtcNow:yyyyMMdd-HHmmss}.txt");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllLinesAsync(path, results);
        Console.WriteLine($"results written to {path}");
        var failed = seed.Ok != questions || measured.Any(r => r.Ok != users * attempts) || scores.Ok != users || results.Any(r => r.Contains('!'));
        return failed ? 1 : 0;
    }

    private static string QuestionJson(int id) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"question_id":{{id}},"question_text":"Question {{id}}?","alternativa_a":"a{{id}}","alternativa_b":"b{{id}}","alternativa_c":"c{{id}}","alternativa_d":"d{{id}}","alternativa_correta":"{{"abcd"[id % 4]}}","dificuldade":"media","assunto":"bench"}""");

    private static string AnswerJson(int question, string usuario, int attempt, string choice) => string.Create(CultureInfo.InvariantCulture,
        $$"""{"question_id":{{question}},"alternativa_escolhida":"{{choice}}","datahora":"2025-05-01T10:00:00Z","usuario":"{{usuario}}","nro_tentativa":{{attempt}}}""");

    private static int AttemptsOf(HttpResponseMessage response)
    {
        using var document = JsonDocument.Parse(response.Content.ReadAsStream());
        return document.RootElement.GetProperty("attempts").GetInt32();
    }

    private static HttpRequestMessage Post(string path, string json)
        => new(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    private static async Task<string> TimedAsync(string name, Func<Task<HttpResponseMessage>> action, string? expectedMessage = null)
    {
        var watch = Stopwatch.StartNew();
        using var response = await action();
        var body = await response.Content.ReadAsStringAsync();
        var elapsed = watch.Elapsed.TotalMilliseconds;
        var check = expectedMessage is null || body.Contains(expectedMessage, StringComparison.Ordinal) ? "" : $" (expected \"{expectedMessage}\"!)";
        return string.Create(CultureInfo.InvariantCulture, $"{name,-28} status={(int)response.StatusCode} {elapsed:F0}ms {body}{check}");
    }

    private static async Task<string> CountedAsync(string name, HttpClient http, string path, int expected)
    {
        var watch = Stopwatch.StartNew();
        using var response = await http.GetAsync(path);
        var body = await response.Content.ReadAsByteArrayAsync();
        var elapsed = watch.Elapsed.TotalMilliseconds;
        using var document = JsonDocument.Parse(body);
        var items = document.RootElement.ValueKind == JsonValueKind.Array ? document.RootElement.GetArrayLength() : -1;
        var check = items == expected ? "" : $" (expected {expected}!)";
        return string.Create(CultureInfo.InvariantCulture, $"{name,-28} status={(int)response.StatusCode} items={items}{check} {elapsed:F0}ms");
    }
}
