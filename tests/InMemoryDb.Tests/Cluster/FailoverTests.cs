using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using InMemoryDb.Tests.Infrastructure.Processes;
using Npgsql;
using Xunit.Abstractions;

namespace InMemoryDb.Tests.Cluster;

/// <summary>
/// Two silos clustered through Redis and an API in client mode, as separate processes: one silo is killed with
/// SIGKILL while 2,000 keys are being written concurrently. No acknowledged write or delete may be lost, no
/// acknowledged event may be missing from the event log, and requests must succeed again within 15 s.
/// </summary>
[Collection(ProcessCollection.Name)]
public sealed class FailoverTests(ITestOutputHelper output)
{
    private const int KeyCount = 2000;
    private const int Workers = 32;
    private static readonly TimeSpan KillAfter = TimeSpan.FromSeconds(4);
    private static readonly TimeSpan RunAfterKill = TimeSpan.FromSeconds(22);
    private static readonly TimeSpan RecoveryBound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task AcknowledgedWritesSurviveASiloKilledMidRun()
    {
        await using var cluster = new ProcessCluster(TestEnvironment.Redis);
        try
        {
            await RunAsync(cluster);
        }
        catch
        {
            output.WriteLine(cluster.Diagnostics());
            throw;
        }
    }

    private async Task RunAsync(ProcessCluster cluster)
    {
        await cluster.StartAsync(["silo1", "silo2"], ["api1"]);
        using var http = cluster.Client("api1", TimeSpan.FromSeconds(12));

        var histories = new ConcurrentDictionary<string, KeyHistory>(StringComparer.Ordinal);
        var attempts = new ConcurrentQueue<Attempt>();
        var clock = Stopwatch.StartNew();
        var killedAt = TimeSpan.MaxValue;
        var killedTicks = long.MaxValue;

        var workers = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            var rotation = Enumerable.Range(0, KeyCount).Where(i => i % Workers == worker).Select(KeyName).ToList();
            var reserve = 0;
            for (var round = 0; ; round++)
            {
                for (var k = 0; k < rotation.Count; k++)
                {
                    var killed = Interlocked.Read(ref killedTicks);
                    if (killed != long.MaxValue && clock.Elapsed.Ticks > killed + RunAfterKill.Ticks) return;
                    var key = rotation[k];
                    var history = histories.GetOrAdd(key, _ => new KeyHistory());
                    if (history.Uncertain is not null) continue;
                    // Every fourth operation on a key deletes it; the others write a value unique to the operation.
                    var value = round % 4 == 3 ? null : $"{key}#{round}";
                    var start = clock.Elapsed;
                    Kv.WriteAnswer? answer = null;
                    string? error = null;
                    try
                    {
                        answer = value is null ? await http.DeleteKeyAsync(key) : await http.PutAsync(key, value);
                    }
                    catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                    {
                        error = e.GetType().Name;
                    }
                    var ok = answer?.Code == HttpStatusCode.OK;
                    attempts.Enqueue(new Attempt(start, clock.Elapsed, ok, ok ? null : error ?? ((int)answer!.Code).ToString(CultureInfo.InvariantCulture)));
                    if (ok)
                    {
                        Assert.Equal(value is null ? "deleted" : "stored", answer!.Status);
                        history.Acknowledged = new Operation(value, answer.Timestamp!);
                    }
                    else
                    {
                        // Outcome unknown (it may still apply): no further operation on this key, and a fresh key instead.
                        history.Uncertain = new Operation(value, null);
                        rotation.Add($"reserve-{worker}-{reserve++}");
                    }
                }
            }
        })).ToArray();

        await Task.Delay(KillAfter);
        cluster["silo1"].Kill();
        killedAt = clock.Elapsed;
        Interlocked.Exchange(ref killedTicks, killedAt.Ticks);
        await Task.WhenAll(workers);

        // Availability: every request started 15 s or more after the kill succeeded.
        var all = attempts.ToArray();
        var failures = all.Where(a => !a.Ok).ToArray();
        var lastFailureEnd = failures.Length == 0 ? killedAt : failures.Max(a => a.End);
        var window = lastFailureEnd - killedAt;
        var lastFailedStart = failures.Length == 0 ? TimeSpan.Zero : failures.Max(a => a.Start) - killedAt;
        var late = all.Where(a => a.Start >= killedAt + RecoveryBound).ToArray();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"requests={all.Length} ok={all.Count(a => a.Ok)} failed={failures.Length} keys={histories.Count} " +
            $"unavailability window={window.TotalSeconds:F1}s (kill → end of the last failed request); " +
            $"last failed request started {lastFailedStart.TotalSeconds:F1}s after the kill; " +
            $"failures by kind: {string.Join(", ", failures.GroupBy(f => f.Error).Select(g => $"{g.Key}={g.Count()}"))}"));
        output.WriteLine(cluster["silo2"].RecentOutput());
        Assert.All(all.Where(a => a.End < killedAt), a => Assert.True(a.Ok, $"a request failed before the kill ({a.Error})"));
        Assert.True(late.Length >= 100, $"only {late.Length} requests ran after the recovery bound");
        Assert.All(late, a => Assert.True(a.Ok, $"a request started {(a.Start - killedAt).TotalSeconds:F1}s after the kill failed ({a.Error})"));

        // The event log: every acknowledged operation's event is there exactly once, without any read of the keys
        // (each was written with its state, in one transaction, before it was acknowledged).
        var acknowledged = histories.Where(h => h.Value.Acknowledged is not null)
            .Select(h => (h.Key, h.Value.Acknowledged!.Timestamp!)).ToHashSet();
        var logged = await Eventually.Poll(
            () => LoggedOperationsAsync(cluster.ServiceId),
            events => acknowledged.All(events.Contains),
            TimeSpan.FromSeconds(30));
        Assert.Equal(logged.Count, logged.Distinct().Count());

        // Every key reads as its last acknowledged operation left it, or as the one whose outcome is unknown.
        var reads = new ConcurrentDictionary<string, Kv.ReadAnswer>(StringComparer.Ordinal);
        await Parallel.ForEachAsync(histories, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (entry, _) =>
            reads[entry.Key] = await http.GetKeyAsync(entry.Key));
        foreach (var (key, history) in histories)
        {
            var read = reads[key];
            // Null: absent (never acknowledged, or deleted).
            var allowed = new List<string?> { history.Acknowledged?.Value };
            if (history.Uncertain is { } uncertain) allowed.Add(uncertain.Value);
            var actual = read.Code == HttpStatusCode.OK ? read.Value : null;
            Assert.True(read.Code is HttpStatusCode.OK or HttpStatusCode.NotFound, $"GET {key} gave {(int)read.Code}: {read.Body}");
            Assert.True(allowed.Contains(actual), $"{key} reads {actual ?? "(deleted)"}; acknowledged {history.Acknowledged?.Value ?? "(deleted)"}, uncertain {history.Uncertain?.Value ?? "-"}");
        }

        // The index partitions (some rebuilt on the surviving silo) list exactly the live keys.
        var listed = await http.ListAllAsync();
        var live = reads.Where(r => r.Value.Code == HttpStatusCode.OK).Select(r => (r.Key, r.Value.Value!)).OrderBy(p => p.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(live, listed);
    }

    private static string KeyName(int i) => (i % 10) switch
    {
        0 => i.ToString("D6", CultureInfo.InvariantCulture),
        1 => $"path/to/{i}",
        2 => $"ключ {i} ✓",
        _ => $"key-{i}",
    };

    private static async Task<List<(string Key, string Timestamp)>> LoggedOperationsAsync(string serviceId)
    {
        await using var connection = new NpgsqlConnection(TestEnvironment.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT key, content->>'timestamp' FROM event_log WHERE service_id = $1 AND entity = 'kv'", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        await using var reader = await command.ExecuteReaderAsync();
        var events = new List<(string, string)>();
        while (await reader.ReadAsync()) events.Add((reader.GetString(0), reader.GetString(1)));
        return events;
    }

    private sealed record Attempt(TimeSpan Start, TimeSpan End, bool Ok, string? Error);

    private sealed record Operation(string? Value, string? Timestamp);

    private sealed class KeyHistory
    {
        public Operation? Acknowledged { get; set; }
        public Operation? Uncertain { get; set; }
    }
}
