namespace InMemoryDb.Tables;

/// <summary>One row of an inner equi-join: a record of the left table and a matching record of the right table.</summary>
[GenerateSerializer, Immutable, Alias("inmemorydb.join-pair")]
public sealed record JoinPair(
    [property: Id(0)] RecordSnapshot Left,
    [property: Id(1)] RecordSnapshot Right);
