namespace InMemoryDb.Grains.KeyValue;

/// <summary>
/// The key-value store's front door for whole-store questions (a stateless worker, so every silo has local copies):
/// fans out to the index partitions in parallel and merges their sorted pages.
/// </summary>
[StatelessWorker, Reentrant]
public sealed class KeyValueStoreGrain(ResponseLimits limits) : Grain, IKeyValueStoreGrain
{
    /// <summary>The JSON size of an entry in a listing.</summary>
    public static long Size(KeyValueEntry entry) => ResponseLimits.Of(entry.Key) + ResponseLimits.Of(entry.Value) + 20;

    /// <inheritdoc />
    public async Task<Outcome<KeyValuePage>> ListAsync(string? after, int? limit)
    {
        if (limit is < 1 or > KeyValueKeys.MaxPageSize) return Outcome<KeyValuePage>.BadRequest($"limit must be between 1 and {KeyValueKeys.MaxPageSize}.");
        // Each partition stops once its page passes the cap, so no message carries more than about the cap.
        var pages = await Task.WhenAll(Partitions().Select(p => p.PageAsync(after, limit, limits.MaxResponseBytes)));
        var total = pages.Sum(p => p.Entries.Count);
        var take = Math.Min(total, limit ?? int.MaxValue);
        var merged = Merge(pages.Select(p => p.Entries).ToArray(), take);
        var bytes = merged.Sum(Size);
        if (bytes > limits.MaxResponseBytes)
        {
            return Outcome<KeyValuePage>.BadRequest(limit is { } asked
                ? limits.PageTooLarge(asked, "keys")
                : limits.TooLarge(new ResultSize(merged.Length, bytes), "keys"));
        }
        var more = total > take || pages.Any(p => p.HasMore);
        return Outcome<KeyValuePage>.Ok(new KeyValuePage(merged, more && merged.Length > 0 ? merged[^1].Key : null));
    }

    /// <inheritdoc />
    public async Task<long> CountAsync()
    {
        var counts = await Task.WhenAll(Partitions().Select(p => p.CountAsync()));
        return counts.Sum(c => (long)c);
    }

    /// <inheritdoc />
    public async Task<bool> IsLoadedAsync() => (await Task.WhenAll(Partitions().Select(p => p.IsLoadedAsync()))).All(loaded => loaded);

    private IEnumerable<IKeyValueIndexGrain> Partitions()
        => Enumerable.Range(0, Partitioning.Count).Select(p => GrainFactory.GetGrain<IKeyValueIndexGrain>(p));

    private static KeyValueEntry[] Merge(IReadOnlyList<KeyValueEntry>[] runs, int take)
    {
        var result = new KeyValueEntry[take];
        var heads = new int[runs.Length];
        var queue = new PriorityQueue<int, string>(runs.Length, StringComparer.Ordinal);
        for (var i = 0; i < runs.Length; i++)
        {
            if (runs[i].Count > 0) queue.Enqueue(i, runs[i][0].Key);
        }
        for (var n = 0; n < take; n++)
        {
            var run = queue.Dequeue();
            result[n] = runs[run][heads[run]++];
            if (heads[run] < runs[run].Count) queue.Enqueue(run, runs[run][heads[run]].Key);
        }
        return result;
    }
}
