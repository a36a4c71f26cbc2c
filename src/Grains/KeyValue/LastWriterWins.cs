namespace InMemoryDb.Grains.KeyValue;

/// <summary>
/// The total order of key-value operations: by timestamp (100 ns ticks, UTC); at equal timestamps a delete beats a
/// put (a tie never resurrects a key), and of two puts the ordinally greater value wins. Every replica and every
/// arrival order therefore picks the same winner.
/// </summary>
public static class LastWriterWins
{
    /// <summary>Negative when operation a loses to b, zero when they are the same operation, positive when a wins.</summary>
    /// <param name="aTimestamp">The timestamp of a.</param>
    /// <param name="aValue">The value a writes, or null for a delete.</param>
    /// <param name="bTimestamp">The timestamp of b.</param>
    /// <param name="bValue">The value b writes, or null for a delete.</param>
    public static int Compare(DateTimeOffset aTimestamp, string? aValue, DateTimeOffset bTimestamp, string? bValue)
    {
        var byTime = aTimestamp.UtcTicks.CompareTo(bTimestamp.UtcTicks);
        if (byTime != 0) return byTime;
        return (aValue, bValue) switch
        {
            (null, null) => 0,
            (null, _) => 1,
            (_, null) => -1,
            _ => Math.Sign(string.CompareOrdinal(aValue, bValue)),
        };
    }
}
