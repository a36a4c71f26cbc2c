using System.Runtime.InteropServices;
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
        if (InputLimits.CheckJson(dataJson, "data") is { } refused) return Task.FromResult(Outcome<RecordSnapshot>.Refused(refused));
        if (JsonNode.Parse(dataJson) is not JsonObject data) return Task.FromResult(Outcome<RecordSnapshot>.Invalid("data", "must be a JSON object"));

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
        // the pairs come out ordered by (left id, right id) without sorting them. Most keys match one record:
        // only keys matching several get a list.
        var single = new Dictionary<string, RecordSnapshot>(right.Sum(s => s.Records.Count), StringComparer.Ordinal);
        Dictionary<string, List<RecordSnapshot>>? several = null;
        foreach (var side in right)
        {
            foreach (var (joinKey, record) in side.Records)
            {
                ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(single, joinKey, out var exists);
                if (!exists)
                {
                    first = record;
                    continue;
                }
                several ??= new Dictionary<string, List<RecordSnapshot>>(StringComparer.Ordinal);
                ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(several, joinKey, out var listed);
                if (!listed) list = [first!];
                list!.Add(record);
            }
        }
        foreach (var list in several?.Values ?? Enumerable.Empty<List<RecordSnapshot>>())
        {
            list.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
        }

        var leftCount = left.Sum(s => s.Records.Count);
        var pairs = new List<JoinPair>(Math.Min(leftCount, single.Count));
        foreach (var (joinKey, record) in Merge(left.Select(s => s.Records).ToArray(), k => k.Record.Id, leftCount))
        {
            if (several is not null && several.TryGetValue(joinKey, out var matches))
            {
                foreach (var match in matches) pairs.Add(new JoinPair(record, match));
            }
            else if (single.TryGetValue(joinKey, out var match))
            {
                pairs.Add(new JoinPair(record, match));
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
        // A binary min-heap of run numbers, ordered by the id at each run's head (kept in heads/ids).
        var result = new T[take];
        var heads = new int[runs.Length];
        var ids = new string[runs.Length];
        var heap = new int[runs.Length];
        var size = 0;
        for (var run = 0; run < runs.Length; run++)
        {
            if (runs[run].Count == 0) continue;
            ids[run] = id(runs[run][0]);
            heap[size++] = run;
        }
        for (var i = size / 2 - 1; i >= 0; i--) SiftDown(heap, size, i, ids);

        for (var n = 0; n < take; n++)
        {
            var run = heap[0];
            var items = runs[run];
            result[n] = items[heads[run]++];
            if (heads[run] < items.Count) ids[run] = id(items[heads[run]]);
            else heap[0] = heap[--size];
            SiftDown(heap, size, 0, ids);
        }
        return result;
    }

    private static void SiftDown(int[] heap, int size, int at, string[] ids)
    {
        var item = heap[at];
        while (true)
        {
            var child = 2 * at + 1;
            if (child >= size) break;
            if (child + 1 < size && string.CompareOrdinal(ids[heap[child + 1]], ids[heap[child]]) < 0) child++;
            if (string.CompareOrdinal(ids[heap[child]], ids[item]) >= 0) break;
            heap[at] = heap[child];
            at = child;
        }
        heap[at] = item;
    }

    [GeneratedRegex(@"\A[A-Za-z_][A-Za-z0-9_]{0,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex FieldPattern();
}
