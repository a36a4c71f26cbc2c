namespace InMemoryDb.Grains.Questions;

/// <summary>What one call of a bulk delete got from one index partition.</summary>
/// <param name="Deleted">Entities the operation deleted in this partition that the caller has not been told about yet.</param>
/// <param name="Done">True when the partition has nothing left to delete for the operation.</param>
[GenerateSerializer, Immutable, Alias("inmemorydb.bulk-delete-batch`1")]
public sealed record BulkDeleteBatch<T>(
    [property: Id(0)] IReadOnlyList<T> Deleted,
    [property: Id(1)] bool Done);
