namespace InMemoryDb.Grains;

/// <summary>Cuts a page out of a sorted listing within the response limit.</summary>
public static class Listing
{
    /// <summary>
    /// The index of the first item of <paramref name="sorted"/> that comes after a cursor, given each item's order against
    /// it (<paramref name="compareToCursor"/>: positive when the item comes after): where a page after the cursor starts.
    /// </summary>
    public static int FirstAfter<T>(IReadOnlyList<T> sorted, Func<T, int> compareToCursor)
    {
        int low = 0, high = sorted.Count;
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (compareToCursor(sorted[middle]) <= 0) low = middle + 1;
            else high = middle;
        }
        return low;
    }

    /// <summary>
    /// How many of <paramref name="items"/> a partition sends: all of them, or up to and including the one whose size
    /// passes <paramref name="maxBytes"/> (so the caller sees the overflow and refuses the page rather than cut it).
    /// </summary>
    public static int CountWithin<T>(ReadOnlySpan<T> items, Func<T, long> size, long maxBytes)
    {
        long bytes = 0;
        for (var i = 0; i < items.Length; i++)
        {
            bytes += size(items[i]);
            if (bytes > maxBytes) return i + 1;
        }
        return items.Length;
    }

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
