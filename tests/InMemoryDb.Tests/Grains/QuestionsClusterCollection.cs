namespace InMemoryDb.Tests.Grains;

/// <summary>
/// A cluster of its own for the question and answer grain tests: questions and answers form one collection per
/// cluster, so bulk deletes and counts here must not meet other tests' data. Tests in it run one at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class QuestionsClusterCollection : ICollectionFixture<ClusterFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "questions-cluster";
}
