namespace InMemoryDb.Tests.Infrastructure;

/// <summary>One embedded-mode API for all API tests; tests use fresh table names and ids so they never interfere.</summary>
public sealed class ApiFixture : IAsyncLifetime
{
    /// <summary>The hosted API.</summary>
    public ApiFactory Factory { get; } = new();

    /// <summary>A client of the API.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <inheritdoc />
    public Task InitializeAsync()
    {
        Client = Factory.CreateClient();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

/// <summary>The collection sharing <see cref="ApiFixture"/>.</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiFixture>
{
    /// <summary>The collection name.</summary>
    public const string Name = "api";
}
