namespace InMemoryDb.Grains;

/// <summary>Cuts a page out of a sorted listing within the response limit.</summary>
public static class Listing
{
    /// <summary>
    /// The items of <paramref name="sorted"/> from <paramref name="start"/>, at most <paramref name="limit"/> (all when
    /// null), and whether more follow; <see cref="OutcomeKind.BadRequest"/> when they would pass the response limit.
    /// </summary>
    public static Outcome<(T[] Items, bool More)> Page<T>(IReadOnlyList<T> sorted, int start, int? limit, Func<T, long> size,
        ResponseLimits limits, string items)
    {
        var count = Math.Min(limit ?? int.MaxValue, sorted.Count - start);
        var page = new T[count];
        long bytes = 0;
        for (var i = 0; i < count; i++)
        {
            page[i] = sorted[start + i];
            bytes += size(page[i]);
            if (bytes > limits.MaxResponseBytes)
            {
                return Outcome<(T[], bool)>.BadRequest(limit is { } asked
                    ? limits.PageTooLarge(asked, items)
                    : limits.TooLarge(new ResultSize(sorted.Count - start, bytes), items));
            }
        }
        return Outcome<(T[], bool)>.Ok((page, start + count < sorted.Count));
    }
}
