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
public sealed partial class TableGrain(ResponseLimits limits) : Grain, ITableGrain
{
    /// <summary>The largest page a dump may ask for.</summary>
    public const int MaxPageSize = 100_000;

    private string Table => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public Task<Outcome<RecordSnapshot>> CreateAsync(string dataJson)
    {
        if (!TableNames.IsValid(Table)) return Task.FromResult(Outcome<RecordSnapshot>.BadRequest(InvalidTableMessage(Table)));
        if (InputLimits.CheckJson(dataJson, "") is { } refused) return Task.FromResult(Outcome<RecordSnapshot>.Refused(refused, "data"));
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
    public async Task<Outcome<ResultSize>> MeasureDumpAsync(string? after)
    {
        if (await CheckTableAsync(Table) is { } problem) return problem.As<ResultSize>();
        var sizes = await Task.WhenAll(Partitions(Table).Select(p => p.SizeAsync(after)));
        var size = new ResultSize(sizes.Sum(s => s.Count), sizes.Sum(s => s.Bytes));
        return size.Bytes > limits.MaxResponseBytes ? Outcome<ResultSize>.BadRequest(limits.TooLarge(size, "records")) : Outcome<ResultSize>.Ok(size);
    }

    /// <inheritdoc />
    public async Task<Outcome<RecordPage>> DumpAsync(string? after, int? limit)
    {
        if (await CheckTableAsync(Table) is { } problem) return problem.As<RecordPage>();
        if (limit is < 1 or > MaxPageSize) return Outcome<RecordPage>.BadRequest($"limit must be between 1 and {MaxPageSize}.");

        // Each partition stops once its page passes the cap, so no message carries more than about the cap.
        var pages = await Task.WhenAll(Partitions(Table).Select(p => p.PageAsync(after, limit, limits.MaxResponseBytes)));
        var total = pages.Sum(p => p.Records.Count);
        var take = Math.Min(total, limit ?? int.MaxValue);
        var merged = Merge(pages.Select(p => p.Records).ToArray(), r => r.Id, take);
        var bytes = merged.Sum(ResponseLimits.Of);
        if (bytes > limits.MaxResponseBytes)
        {
            // A partition cut short by the cap had its whole page taken, so the cut never hides a page that fits.
            return Outcome<RecordPage>.BadRequest(limit is { } asked
                ? limits.PageTooLarge(asked, "records")
                : limits.TooLarge(new ResultSize(merged.Length, bytes), "records"));
        }
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
    public async Task<Outcome<ResultSize>> MeasureJoinAsync(string rightTable, string key, string? after)
    {
        if (ParseCursor(after, out var cursor) is { } cursorProblem) return cursorProblem.As<ResultSize>();
        var (plan, problem) = await PlanJoinAsync(rightTable, key);
        if (plan is null) return problem!.As<ResultSize>();
        var size = plan.Measure(cursor);
        return size.Bytes > limits.MaxResponseBytes ? Outcome<ResultSize>.BadRequest(limits.TooLarge(size, "pairs")) : Outcome<ResultSize>.Ok(size);
    }

    /// <inheritdoc />
    public async Task<Outcome<JoinPage>> JoinAsync(string rightTable, string key, string? after, int? limit)
    {
        if (limit is < 1 or > MaxPageSize) return Outcome<JoinPage>.BadRequest($"limit must be between 1 and {MaxPageSize}.");
        if (ParseCursor(after, out var cursor) is { } cursorProblem) return cursorProblem.As<JoinPage>();
        var (plan, problem) = await PlanJoinAsync(rightTable, key);
        if (plan is null) return problem!.As<JoinPage>();
        if (limit is null && plan.Measure(cursor) is var size && size.Bytes > limits.MaxResponseBytes)
        {
            return Outcome<JoinPage>.BadRequest(limits.TooLarge(size, "pairs"));
        }
        var page = plan.Page(cursor, limit ?? int.MaxValue, limits.MaxResponseBytes);
        return page is null ? Outcome<JoinPage>.BadRequest(limits.PageTooLarge(limit ?? int.MaxValue, "pairs")) : Outcome<JoinPage>.Ok(page);
    }

    /// <summary>A join cursor (<see cref="JoinPage.NextAfter"/>: <c>{left id}/{right id}</c>, ids hold no '/'), or the problem.</summary>
    private static Outcome<object>? ParseCursor(string? after, out (string Left, string Right)? cursor)
    {
        cursor = null;
        if (after is null) return null;
        var slash = after.IndexOf('/');
        if (slash <= 0 || slash == after.Length - 1 || after.IndexOf('/', slash + 1) >= 0)
        {
            return Outcome<object>.BadRequest("after must be the cursor a previous page named: {left id}/{right id}.");
        }
        cursor = (after[..slash], after[(slash + 1)..]);
        return null;
    }

    /// <summary>Both sides of a join, fetched from the partitions and hashed; or the problem (missing table, bad field).</summary>
    private async Task<(JoinPlan? Plan, Outcome<object>? Problem)> PlanJoinAsync(string rightTable, string key)
    {
        if (await CheckTableAsync(Table) is { } leftProblem) return (null, leftProblem);
        if (await CheckTableAsync(rightTable) is { } rightProblem) return (null, rightProblem);
        if (!FieldPattern().IsMatch(key))
        {
            return (null, Outcome<object>.BadRequest($"'{key}' is not a valid field name: use letters, digits and '_' (at most 64), not starting with a digit."));
        }

        var leftTask = Task.WhenAll(Partitions(Table).Select(p => p.JoinSideAsync(key, idWhenMissing: true)));
        var rightTask = Task.WhenAll(Partitions(rightTable).Select(p => p.JoinSideAsync(key, idWhenMissing: false)));
        var left = await leftTask;
        var right = await rightTask;

        if (rightTable == Table && left.Sum(s => s.WithField) == 0)
        {
            return (null, Outcome<object>.BadRequest($"No record of table '{Table}' has the field '{key}', so the table cannot be joined with itself on it."));
        }

        var leftCount = left.Sum(s => s.Records.Count);
        var ordered = Merge(left.Select(s => s.Records).ToArray(), k => k.Record.Id, leftCount);
        // The pairs are named after the tables, so their size depends on the names (a self-join suffixes them).
        var names = rightTable == Table ? 2 * Table.Length + 4 : Table.Length + rightTable.Length;
        return (new JoinPlan(ordered, right, names), null);
    }

    /// <summary>
    /// A join ready to be measured or paged: the left side in id order, the right side hashed by key (each group in id
    /// order), so pairs come out ordered by (left id, right id) without sorting them.
    /// </summary>
    private sealed class JoinPlan
    {
        private readonly KeyedRecord[] _left;
        private readonly int _nameBytes;
        private readonly Dictionary<string, RecordSnapshot> _single;
        private readonly Dictionary<string, List<RecordSnapshot>>? _several;

        public JoinPlan(KeyedRecord[] left, JoinSide[] right, int nameBytes)
        {
            _left = left;
            _nameBytes = nameBytes;
            // Most keys match one record: only keys matching several get a list.
            _single = new Dictionary<string, RecordSnapshot>(right.Sum(s => s.Records.Count), StringComparer.Ordinal);
            foreach (var side in right)
            {
                foreach (var (joinKey, record) in side.Records)
                {
                    ref var first = ref CollectionsMarshal.GetValueRefOrAddDefault(_single, joinKey, out var exists);
                    if (!exists)
                    {
                        first = record;
                        continue;
                    }
                    _several ??= new Dictionary<string, List<RecordSnapshot>>(StringComparer.Ordinal);
                    ref var list = ref CollectionsMarshal.GetValueRefOrAddDefault(_several, joinKey, out var listed);
                    if (!listed) list = [first!];
                    list!.Add(record);
                }
            }
            foreach (var list in _several?.Values ?? Enumerable.Empty<List<RecordSnapshot>>())
            {
                list.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
            }
        }

        /// <summary>The number of pairs after <paramref name="cursor"/> and their JSON size, without building them.</summary>
        public ResultSize Measure((string Left, string Right)? cursor)
        {
            var groups = new Dictionary<string, (int Count, long Bytes)>(StringComparer.Ordinal);
            long pairs = 0, bytes = 0;
            for (var i = Start(cursor); i < _left.Length; i++)
            {
                var (joinKey, record) = _left[i];
                if (!_single.ContainsKey(joinKey)) continue;
                if (cursor is { } at && record.Id == at.Left)
                {
                    // The cursor's own left record: only its pairs after the cursor's right record remain.
                    foreach (var match in MatchesAfter(joinKey, at.Right))
                    {
                        pairs++;
                        bytes += ResponseLimits.Of(record) + _nameBytes + 12 + ResponseLimits.Of(match);
                    }
                    continue;
                }
                ref var group = ref CollectionsMarshal.GetValueRefOrAddDefault(groups, joinKey, out var known);
                if (!known)
                {
                    var matches = Matches(joinKey);
                    group = (matches.Count, matches.Sum(ResponseLimits.Of));
                }
                pairs += group.Count;
                bytes += group.Count * (ResponseLimits.Of(record) + _nameBytes + 12) + group.Bytes;
            }
            return new ResultSize(pairs, bytes);
        }

        /// <summary>Up to <paramref name="limit"/> pairs after <paramref name="cursor"/>; null when they would pass <paramref name="maxBytes"/>.</summary>
        public JoinPage? Page((string Left, string Right)? cursor, int limit, long maxBytes)
        {
            var pairs = new List<JoinPair>(Math.Min(limit, 1024));
            long bytes = 0;
            for (var i = Start(cursor); i < _left.Length; i++)
            {
                var (joinKey, record) = _left[i];
                if (!_single.ContainsKey(joinKey)) continue;
                var matches = cursor is { } at && record.Id == at.Left ? MatchesAfter(joinKey, at.Right) : Matches(joinKey);
                foreach (var match in matches)
                {
                    if (pairs.Count == limit)
                    {
                        var last = pairs[^1];
                        return new JoinPage(pairs, $"{last.Left.Id}/{last.Right.Id}");
                    }
                    pairs.Add(new JoinPair(record, match));
                    bytes += ResponseLimits.Of(record) + ResponseLimits.Of(match) + _nameBytes + 12;
                    if (bytes > maxBytes) return null;
                }
            }
            return new JoinPage(pairs, null);
        }

        /// <summary>The index of the cursor's left record, or of the first left record after it when it is gone.</summary>
        private int Start((string Left, string Right)? cursor)
            => cursor is { } at ? Listing.FirstAfter(_left, k => string.CompareOrdinal(k.Record.Id, at.Left) >= 0 ? 1 : -1) : 0;

        private IEnumerable<RecordSnapshot> MatchesAfter(string joinKey, string rightId)
            => Matches(joinKey).Where(match => string.CompareOrdinal(match.Id, rightId) > 0);

        private IReadOnlyList<RecordSnapshot> Matches(string joinKey)
            => _several is not null && _several.TryGetValue(joinKey, out var several) ? several
                : _single.TryGetValue(joinKey, out var one) ? [one] : [];
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
