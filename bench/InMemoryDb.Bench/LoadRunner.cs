using System.Diagnostics;
using System.Net;

namespace InMemoryDb.Bench;

/// <summary>Drives HTTP requests in an open model (fixed arrival rate) or a closed model (fixed concurrency).</summary>
public static class LoadRunner
{
    /// <summary>
    /// Sends request i at start + i / rate, whatever the responses do (latency counts from the scheduled time,
    /// so a slow server cannot hide its queueing).
    /// </summary>
    public static async Task<LoadStats> OpenAsync(string name, HttpClient http, double rate, TimeSpan duration,
        Func<int, HttpRequestMessage> request, Func<HttpResponseMessage, bool>? ok = null)
    {
        var stats = new LoadStats(name);
        var count = (int)(rate * duration.TotalSeconds);
        var tasks = new List<Task>(count);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var due = i / rate * 1000.0;
            var wait = due - clock.Elapsed.TotalMilliseconds;
            if (wait > 1) await Task.Delay(TimeSpan.FromMilliseconds(wait));
            tasks.Add(SendAsync(http, request(i), stats, clock, due, ok));
        }
        await Task.WhenAll(tasks);
        stats.Elapsed = clock.Elapsed;
        return stats;
    }

    /// <summary>Sends <paramref name="total"/> requests with <paramref name="concurrency"/> in flight: the throughput ceiling.</summary>
    public static async Task<LoadStats> ClosedAsync(string name, HttpClient http, int concurrency, int total,
        Func<int, HttpRequestMessage> request, Func<HttpResponseMessage, bool>? ok = null)
    {
        var stats = new LoadStats(name);
        var next = -1;
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < total)
            {
                await SendAsync(http, request(i), stats, clock, clock.Elapsed.TotalMilliseconds, ok);
            }
        }));
        stats.Elapsed = clock.Elapsed;
        return stats;
    }

    private static async Task SendAsync(HttpClient http, HttpRequestMessage message, LoadStats stats, Stopwatch clock, double scheduledMs,
        Func<HttpResponseMessage, bool>? ok)
    {
        try
        {
            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseContentRead);
            var elapsed = clock.Elapsed.TotalMilliseconds - scheduledMs;
            stats.Record(elapsed, response.StatusCode, ok?.Invoke(response) ?? response.IsSuccessStatusCode);
            if (SlowMs is { } slow && elapsed > slow) Console.Error.WriteLine($"slow at={scheduledMs / 1000:F3}s latency={elapsed:F1}ms {message.Method} {message.RequestUri}");
        }
        catch (Exception e)
        {
            stats.Record(clock.Elapsed.TotalMilliseconds - scheduledMs, null, false, e.GetType().Name);
        }
        finally
        {
            message.Dispose();
        }
    }

    private static readonly double? SlowMs = double.TryParse(Environment.GetEnvironmentVariable("BENCH_SLOW_MS"), System.Globalization.CultureInfo.InvariantCulture, out var v) ? v : null;

    /// <summary>An HTTP/1.1 client with a pool large enough for the load.</summary>
    public static HttpClient Client(string baseUrl, int connections = 512) => new(new SocketsHttpHandler
    {
        MaxConnectionsPerServer = connections,
        PooledConnectionLifetime = TimeSpan.FromMinutes(10),
        AutomaticDecompression = DecompressionMethods.None,
        UseProxy = false,
    })
    {
        BaseAddress = new Uri(baseUrl),
        Timeout = TimeSpan.FromSeconds(120),
    };
}
