namespace InMemoryDb.Tests.Api;

/// <summary>
/// An embedded API of its own for seed 000's routes: questions and answers are one global collection per service, so
/// bulk deletes and listings here must not meet other tests' data. Tests in it run one at a time.
/// </summary>
[CollectionDefinition(Name)]
public sealed class QuestionsApiCollection : ICollectionFixture<ApiFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "questions-api";
}
