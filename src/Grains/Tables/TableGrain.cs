using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace InMemoryDb.Grains.Tables;

/// <summary>
/// A table's front door (a stateless worker, so every silo has local copies): picks the id of a new record and
/// answers whole-table queries by fanning out to the table's partitions in parallel.
/// </summary>
[StatelessWorker, Reentrant]
public sealed partial class TableGrain : Grain, ITableGrain
{
    /// <summary>The largest page a dump may ask for.</summary>
    public const int MaxPageSize = 100_000;

    private string Table => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public Task<Outcome<RecordSnapshot>> CreateAsync(string dataJson)
    {
        if (!TableNames.IsValid(Table)) return Task.FromResult(Outcome<RecordSnapshot>.BadRequest(InvalidTableMessage(Table)));
        JsonObject? data;
        try
        {
            data = JsonNode.Parse(dataJson) as JsonObject;
        }
        catch (JsonException)
        {
            data = null;
        }
        if (data is null) return Task.FromResult(Outcome<RecordSnapshot>.Invalid("data", "must be a JSON object"));

        if (data.TryGetPropertyValue("id", out var idNode) && idNode is not null)
        {
            if (idNode.GetValueKind() != JsonValueKind.String) return Task.FromResult(Outcome<RecordSnapshot>.Invalid("id", "must be a string"));
            var id = idNode.GetValue<string>();
            if (TableNames.CheckId(id) is { } problem) return Task.FromResult(Outcome<RecordSnapshot>.Invalid("id", problem));
            return GrainFactory.GetGrain<IRecordCreator>(TableNames.RecordKey(Table, id)).CreateNewAsync(dataJson);
        }
        return GrainFactory.GetGrain<IRecordCreator>(TableNames.RecordKey(Table, Guid.NewGuid().ToString())).CreateNewAsync(dataJson);
    }

    /// <inheritdoc />
    public async Task<Outcome<RecordPage>> DumpAsync(string? after, int? limit)
    {
        if (await CheckTableAsync(Table) is { } problem) return problem.As<RecordPage>();
        if (limit is < 1 or > MaxPageSize) return Outcome<RecordPage>.BadRequest($"limit must be between 1 and {MaxPageSize}.");

        var pages = await Task.WhenAll(Partitions(Table).Select(p => p.PageAsync(after, limit)));
        var total = pages.Sum(p => p.Records.Count);
        var take = Math.Min(total, limit ?? int.MaxValue);
        var merged = Merge(pages.Select(p => p.Records).ToArray(), r => r.Id, take);
        var more = total > take || pages.Any(p => p.HasMore);
        return Outcome<RecordPage>.Ok(new RecordPage(merged, more && merged.Length > 0 ? merged[^1].Id : null));
    }

    /// <inheritdoc />
    public async Task<long> CountAsync()
    {
        var counts = await Task.WhenAll(Partitions(Table).Select(p => p.CountAsync()));
        return counts.Sum(c => (long)c);
    }

    /// <inheritdoc />
    public async Task<Outcome<IReadOnlyList<JoinPair>>> JoinAsync(string rightTable, string key)
    {
        if (await CheckTableAsync(Table) is { } leftProblem) return leftProblem.As<IReadOnlyList<JoinPair>>();
        if (await CheckTableAsync(rightTable) is { } rightProblem) return rightProblem.As<IReadOnlyList<JoinPair>>();
        if (!FieldPattern().IsMatch(key))
        {
            return Outcome<IReadOnlyList<JoinPair>>.BadRequest($"'{key}' is not a valid field name: use letters, digits and '_' (at most 64), not starting with a digit.");
        }

        var leftTask = Task.WhenAll(Partitions(Table).Select(p => p.JoinSideAsync(key, idWhenMissing: true)));
        var rightTask = Task.WhenAll(Partitions(rightTable).Select(p => p.JoinSideAsync(key, idWhenMissing: false)));
        var left = await leftTask;
        var right = await rightTask;

        if (rightTable == Table && left.Sum(s => s.WithField) == 0)
        {
            return Outcome<IReadOnlyList<JoinPair>>.BadRequest($"No record of table '{Table}' has the field '{key}', so the table cannot be joined with itself on it.");
        }

        // Hash the right side by key (each group in id order), then walk the left side in id order:
        // the pairs come out ordered by (left id, right id) without sorting them.
        var byKey = new Dictionary<string, List<RecordSnapshot>>(StringComparer.Ordinal);
        foreach (var side in right)
        {
            foreach (var (joinKey, record) in side.Records)
            {
                if (!byKey.TryGetValue(joinKey, out var list)) byKey[joinKey] = list = new List<RecordSnapshot>(1);
                list.Add(record);
            }
        }
        foreach (var list in byKey.Values)
        {
            if (list.Count > 1) list.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        }

        var pairs = new List<JoinPair>();
        foreach (var (joinKey, record) in Merge(left.Select(s => s.Records).ToArray(), k => k.Record.Id, left.Sum(s => s.Records.Count)))
        {
            if (byKey.TryGetValue(joinKey, out var matches))
            {
                foreach (var match in matches) pairs.Add(new JoinPair(record, match));
            }
        }
        return Outcome<IReadOnlyList<JoinPair>>.Ok(pairs);
    }

    /// <summary>The message for a table name that breaks the naming rule.</summary>
    public static string InvalidTableMessage(string table)
        => $"'{table}' is not a valid table name: use 1 to 63 lowercase letters, digits or '_', starting with a letter.";

    private async Task<Outcome<object>?> CheckTableAsync(string table)
    {
        if (!TableNames.IsValid(table)) return Outcome<object>.BadRequest(InvalidTableMessage(table));
        var exists = await GrainFactory.GetGrain<ITableCatalogGrain>(ITableCatalogGrain.Key).ExistsAsync(table);
        return exists ? null : Outcome<object>.NotFound($"Table '{table}' does not exist.");
    }

    private IEnumerable<ITablePartitionGrain> Partitions(string table)
        => Enumerable.Range(0, Partitioning.Count).Select(p => GrainFactory.GetGrain<ITablePartitionGrain>($"{table}/{p}"));

    /// <summary>The first <paramref name="take"/> items of runs sorted by <paramref name="id"/> (ordinal), merged in order.</summary>
    private static T[] Merge<T>(IReadOnlyList<T>[] runs, Func<T, string> id, int take)
    {
        var result = new T[take];
        var heads = new int[runs.Length];
        var queue = new PriorityQueue<int, string>(runs.Length, StringComparer.Ordinal);
        for (var i = 0; i < runs.Length; i++)
        {
            if (runs[i].Count > 0) queue.Enqueue(i, id(runs[i][0]));
        }
        for (var n = 0; n < take; n++)
        {
            var run = queue.Dequeue();
            result[n] = runs[run][heads[run]++];
            if (heads[run] < runs[run].Count) queue.Enqueue(run, id(runs[run][heads[run]]));
        }
        return result;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex FieldPattern();
}
