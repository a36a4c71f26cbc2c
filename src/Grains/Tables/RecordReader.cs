namespace InMemoryDb.Grains.Tables;

/// <summary>
/// Reads one record where it is resident: its table partition, which holds every record's snapshot; only a record the
/// partition has not loaded yet (just after a start) is read through the record's grain, which loads it from storage.
/// Record grains are writers; a write is answered once the partition holds it, so a read after it sees it.
/// </summary>
public static class RecordReader
{
    /// <summary>Record <paramref name="id"/> of <paramref name="table"/>, or null when it does not exist.</summary>
    public static async Task<RecordSnapshot?> GetRecordAsync(this IGrainFactory grains, string table, string id)
    {
        var lookup = await grains.GetGrain<ITablePartitionGrain>($"{table}/{Partitioning.Of(id)}").GetAsync(id);
        return lookup.Known ? lookup.Record : await grains.GetGrain<IRecordGrain>(TableNames.RecordKey(table, id)).GetAsync();
    }
}
