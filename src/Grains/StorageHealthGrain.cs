namespace InMemoryDb.Grains;

/// <summary>Checks that storage answers, on the silo that runs it.</summary>
public interface IStorageHealthCheck
{
    /// <summary><c>postgres</c> or <c>memory</c>.</summary>
    string Storage { get; }

    /// <summary>Null when storage answers, otherwise what went wrong.</summary>
    Task<string?> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>The embedded default's storage is memory: it always answers.</summary>
public sealed class InMemoryStorageHealthCheck : IStorageHealthCheck
{
    /// <inheritdoc />
    public string Storage => "memory";

    /// <inheritdoc />
    public Task<string?> CheckAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}

/// <summary>Answers health checks from the silo's point of view.</summary>
[StatelessWorker, Reentrant]
public sealed class StorageHealthGrain(IStorageHealthCheck check) : Grain, IStorageHealthGrain
{
    /// <inheritdoc />
    public async Task<StorageHealth> CheckAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            return new StorageHealth(check.Storage, await check.CheckAsync(timeout.Token));
        }
        catch (Exception e)
        {
            return new StorageHealth(check.Storage, e.Message);
        }
    }
}
