namespace InMemoryDb.Grains;

/// <summary>Checks that storage answers, on the silo that runs it.</summary>
public interface IStorageHealthCheck
{
    /// <summary>Null when storage answers, otherwise what went wrong.</summary>
    Task<string?> CheckAsync(CancellationToken cancellationToken);
}

/// <summary>The embedded default's storage is memory: it always answers.</summary>
public sealed class InMemoryStorageHealthCheck : IStorageHealthCheck
{
    /// <inheritdoc />
    public Task<string?> CheckAsync(CancellationToken cancellationToken) => Task.FromResult<string?>(null);
}

/// <summary>Answers health checks from the silo's point of view.</summary>
[StatelessWorker, Reentrant]
public sealed class StorageHealthGrain(IStorageHealthCheck check, StorageInfo storage) : Grain, IStorageHealthGrain
{
    /// <inheritdoc />
    public async Task<string?> CheckAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        try
        {
            return await check.CheckAsync(timeout.Token);
        }
        catch (Exception e)
        {
            return e.Message;
        }
    }

    /// <inheritdoc />
    public Task<string> StorageAsync() => Task.FromResult(storage.Name);
}
