using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Npgsql;

namespace InMemoryDb.Tests.Infrastructure;

/// <summary>
/// Clients reading and writing a few keys through several API nodes while a fault is injected, every operation
/// recorded, then the history checked per key against what the event log says landed:
/// <list type="bullet">
/// <item>every acknowledged write is in the log (nothing acknowledged lost), and every value read was written;</item>
/// <item>no read returns a write older than one an operation that ended before it began had already seen or made
/// (writes are ordered by the timestamps the key's grain assigns; values are unique per write);</item>
/// <item>no write landed after its request's deadline (its timestamp is assigned when it is applied);</item>
/// <item>the final state of each key is its last landed write.</item>
/// </list>
/// It also measures availability: per node, the longest time after the fault with no successful operation.
/// </summary>
public sealed class FaultWorkload(IReadOnlyDictionary<string, HttpClient> nodes, string keyPrefix, int keyCount, int workers, TimeSpan requestTimeout)
{
    private readonly ConcurrentQueue<Operation> _operations = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly DateTimeOffset _origin = DateTimeOffset.UtcNow;
    private int _sequence;

    /// <summary>One recorded operation: times from the workload's start.</summary>
    public sealed record Operation(string Node, string Key, bool IsWrite, string? Value, TimeSpan Start, TimeSpan End, bool Ok, string? Outcome);

    /// <summary>Every operation so far.</summary>
    public IReadOnlyCollection<Operation> Operations => _operations;

    /// <summary>The time since the workload was created.</summary>
    public TimeSpan Now => _clock.Elapsed;

    /// <summary>The keys the clients use.</summary>
    public IReadOnlyList<string> Keys { get; } = Enumerable.Range(0, keyCount).Select(i => $"{keyPrefix}{i:D3}").ToArray();

    /// <summary>
    /// Runs the clients until <paramref name="stop"/> is cancelled, and a watcher per key and node that reads its key
    /// every 50 ms (so that keys whose silo and gateway are healthy show as answering, whatever the clients wait on).
    /// </summary>
    public Task RunAsync(CancellationToken stop)
        => Task.WhenAll(Clients(stop), Watchers(stop));

    private readonly ConcurrentQueue<(string Node, string Key, TimeSpan End)> _watched = new();

    /// <summary>
    /// (Key, node) pairs whose watcher read the key in every second of [<paramref name="from"/>, <paramref name="to"/>),
    /// out of all pairs.
    /// </summary>
    public (int Answering, int Pairs) KeysAnsweringThroughout(TimeSpan from, TimeSpan to)
    {
        var seconds = (int)Math.Floor((to - from).TotalSeconds);
        var answered = _watched.Where(w => w.End >= from && w.End < from + TimeSpan.FromSeconds(seconds))
            .GroupBy(w => (w.Key, w.Node))
            .Count(g => g.Select(w => (int)((w.End - from).TotalSeconds)).Distinct().Count() == seconds);
        return (answered, Keys.Count * nodes.Count);
    }

    private Task Watchers(CancellationToken stop)
        => Task.WhenAll(nodes.Keys.SelectMany(node => Keys.Select(key => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    var answer = await nodes[node].GetKeyAsync(key);
                    if (answer.Code is HttpStatusCode.OK or HttpStatusCode.NotFound) _watched.Enqueue((node, key, Now));
                }
                catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
                {
                    // Not answering: the gap shows.
                }
                try
                {
                    await Task.Delay(50, stop);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }))));

    private Task Clients(CancellationToken stop)
        => Task.WhenAll(Enumerable.Range(0, workers).Select(worker => Task.Run(async () =>
        {
            var random = new Random(worker * 7919 + 1);
            var names = nodes.Keys.ToArray();
            while (!stop.IsCancellationRequested)
            {
                var node = names[random.Next(names.Length)];
                var key = Keys[random.Next(Keys.Count)];
                if (random.Next(2) == 0) await WriteAsync(node, key, $"{key}={worker}.{Interlocked.Increment(ref _sequence)}");
                else await ReadAsync(node, key);
            }
        })));

    private async Task WriteAsync(string node, string key, string value)
    {
        var start = Now;
        try
        {
            var answer = await nodes[node].PutAsync(key, value);
            var ok = answer.Code == HttpStatusCode.OK && answer.Status == "stored";
            _operations.Enqueue(new Operation(node, key, true, value, start, Now, ok, ok ? answer.Timestamp : ((int)answer.Code).ToString(CultureInfo.InvariantCulture)));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            _operations.Enqueue(new Operation(node, key, true, value, start, Now, false, e.GetType().Name));
        }
    }

    private async Task ReadAsync(string node, string key)
    {
        var start = Now;
        try
        {
            var answer = await nodes[node].GetKeyAsync(key);
            var ok = answer.Code is HttpStatusCode.OK or HttpStatusCode.NotFound;
            _operations.Enqueue(new Operation(node, key, false, answer.Code == HttpStatusCode.OK ? answer.Value : null, start, Now, ok,
                ((int)answer.Code).ToString(CultureInfo.InvariantCulture)));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            _operations.Enqueue(new Operation(node, key, false, null, start, Now, false, e.GetType().Name));
        }
    }

    /// <summary>Per node, the longest time within [<paramref name="from"/>, <paramref name="to"/>] in which no operation succeeded.</summary>
    public IReadOnlyDictionary<string, TimeSpan> LongestOutages(TimeSpan from, TimeSpan to)
        => nodes.Keys.ToDictionary(node => node, node =>
        {
            var ends = _operations.Where(o => o.Node == node && o.Ok && o.End >= from && o.End <= to).Select(o => o.End).Order().ToList();
            var longest = TimeSpan.Zero;
            var previous = from;
            foreach (var end in ends.Append(to))
            {
                if (end - previous > longest) longest = end - previous;
                previous = end;
            }
            return longest;
        });

    /// <summary>
    /// Checks the history against the event log of <paramref name="serviceId"/> and the final reads; returns the
    /// violations found (empty: none). Call once the clients stopped and the fault healed.
    /// </summary>
    public async Task<List<string>> CheckAsync(string serviceId, HttpClient finalReader, string? postgres = null)
    {
        postgres ??= TestEnvironment.Postgres;
        Dictionary<string, LandedWrite> landed;
        try
        {
            // Events become readable once no older transaction is open on the server (the log's visibility horizon).
            landed = await Eventually.Poll(() => LandedWritesAsync(serviceId, postgres), l => _operations.Where(o => o.IsWrite && o.Ok).All(o => l.ContainsKey(o.Value!)), TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            landed = await LandedWritesAsync(serviceId, postgres);
        }
        var violations = new List<string>();
        foreach (var group in _operations.GroupBy(o => o.Key))
        {
            var key = group.Key;
            // Every operation that succeeded, with the timestamp of the write it made or saw (MinValue: the key did not exist).
            var seen = new List<(Operation Op, DateTimeOffset Ts)>();
            foreach (var op in group.Where(o => o.Ok))
            {
                if (op.Value is null)
                {
                    seen.Add((op, DateTimeOffset.MinValue));
                }
                else if (landed.TryGetValue(op.Value, out var write))
                {
                    seen.Add((op, write.Timestamp));
                }
                else
                {
                    violations.Add(op.IsWrite
                        ? $"{key}: acknowledged write {op.Value} ({op.Node}, {op.Start.TotalSeconds:F2}s) is not in the event log"
                        : $"{key}: read {op.Value} ({op.Node}, {op.Start.TotalSeconds:F2}s) returned a value never logged");
                }
            }
            // No operation observes an older write than one that ended before it began.
            var byEnd = seen.OrderBy(s => s.Op.End).ToList();
            var next = 0;
            var newest = (Ts: DateTimeOffset.MinValue, Op: (Operation?)null);
            foreach (var (op, ts) in seen.OrderBy(s => s.Op.Start))
            {
                while (next < byEnd.Count && byEnd[next].Op.End < op.Start)
                {
                    if (byEnd[next].Ts > newest.Ts) newest = (byEnd[next].Ts, byEnd[next].Op);
                    next++;
                }
                if (ts < newest.Ts)
                {
                    violations.Add($"{key}: {(op.IsWrite ? "write" : "read")} at {op.Start.TotalSeconds:F3}-{op.End.TotalSeconds:F3}s on {op.Node} saw {op.Value ?? "(absent)"}, " +
                                   $"older than {newest.Op!.Value} seen by {newest.Op.Node} at {newest.Op.Start.TotalSeconds:F3}-{newest.Op.End.TotalSeconds:F3}s");
                }
            }
        }
        // No write landed after its deadline (its grain assigns its timestamp as it applies it; clocks of one machine).
        foreach (var op in _operations.Where(o => o.IsWrite))
        {
            if (!landed.TryGetValue(op.Value!, out var write)) continue;
            var deadline = _origin + op.Start + requestTimeout + TimeSpan.FromSeconds(1);
            if (write.Timestamp > deadline)
            {
                violations.Add($"{op.Key}: write {op.Value} sent at {op.Start.TotalSeconds:F2}s ({op.Outcome}) landed {(write.Timestamp - _origin).TotalSeconds:F2}s, after its deadline");
            }
        }
        // Each key ends as its last landed write, read through the given node.
        foreach (var key in Keys)
        {
            var last = landed.Values.Where(w => w.Key == key).MaxBy(w => w.Timestamp);
            var read = await finalReader.GetKeyAsync(key);
            var actual = read.Code == HttpStatusCode.OK ? read.Value : null;
            if (actual != last?.Value) violations.Add($"{key}: reads {actual ?? "(absent)"} at the end; its last landed write is {last?.Value ?? "(none)"}");
        }
        return violations;
    }

    /// <summary>Per half second from <paramref name="from"/>: operations that ended ok / failed, by node.</summary>
    public string Timeline(TimeSpan from, TimeSpan to)
    {
        var text = new StringBuilder();
        for (var t = from; t < to; t += TimeSpan.FromMilliseconds(500))
        {
            var slice = _operations.Where(o => o.End >= t && o.End < t + TimeSpan.FromMilliseconds(500)).ToList();
            text.Append(CultureInfo.InvariantCulture, $"+{(t - from).TotalSeconds:F1}s");
            foreach (var node in nodes.Keys)
            {
                text.Append(CultureInfo.InvariantCulture, $" {node} {slice.Count(o => o.Node == node && o.Ok)}/{slice.Count(o => o.Node == node && !o.Ok)}");
            }
            text.AppendLine();
        }
        return text.ToString();
    }

    /// <summary>A summary line: operations, failures by kind, outages.</summary>
    public string Summary(TimeSpan faultAt, TimeSpan end)
    {
        var all = _operations.ToArray();
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"operations={all.Length} ok={all.Count(o => o.Ok)} writes acknowledged={all.Count(o => o.IsWrite && o.Ok)} failed={all.Count(o => !o.Ok)}");
        text.Append(" failures: ").Append(string.Join(", ", all.Where(o => !o.Ok).GroupBy(o => o.Outcome).Select(g => $"{g.Key}={g.Count()}")));
        text.Append("; longest time without a successful operation after the fault: ")
            .Append(string.Join(", ", LongestOutages(faultAt, end).Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key}={p.Value.TotalSeconds:F1}s"))));
        var (answering, pairs) = KeysAnsweringThroughout(faultAt + TimeSpan.FromSeconds(1), faultAt + TimeSpan.FromSeconds(6));
        text.Append(CultureInfo.InvariantCulture, $"; keys answering a reader on a node in every second from 1 to 6 s after the fault: {answering}/{pairs} (key, node) pairs");
        return text.ToString();
    }

    private sealed record LandedWrite(string Key, string Value, DateTimeOffset Timestamp);

    private async Task<Dictionary<string, LandedWrite>> LandedWritesAsync(string serviceId, string postgres)
    {
        await using var connection = new NpgsqlConnection(postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT key, content::text FROM event_log WHERE service_id = $1 AND entity = 'kv' AND method = 'put_key' AND starts_with(key, $2)", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = keyPrefix });
        await using var reader = await command.ExecuteReaderAsync();
        var landed = new Dictionary<string, LandedWrite>(StringComparer.Ordinal);
        while (await reader.ReadAsync())
        {
            var content = JsonNode.Parse(reader.GetString(1))!;
            var value = (string)content["value"]!;
            landed[value] = new LandedWrite(reader.GetString(0), value, DateTimeOffset.Parse((string)content["timestamp"]!, CultureInfo.InvariantCulture));
        }
        return landed;
    }
}
