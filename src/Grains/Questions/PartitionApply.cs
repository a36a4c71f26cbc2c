namespace InMemoryDb.Grains.Questions;

/// <summary>Applies an acknowledged entity change to its index partition, with a few retries.</summary>
public static partial class PartitionApply
{
    /// <summary>
    /// Runs <paramref name="apply"/> up to three times. If it still fails, the change is durable anyway: the partition
    /// reloads it from storage when it is next activated.
    /// </summary>
    public static async Task RunAsync(Func<Task> apply, string entity, ILogger logger)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await apply();
                return;
            }
            catch (Exception e) when (attempt < 3)
            {
                LogRetry(logger, e, entity, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(50 * attempt));
            }
            catch (Exception e)
            {
                LogFailed(logger, e, entity);
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Index partition did not take the change of {Entity} (attempt {Attempt}); retrying")]
    private static partial void LogRetry(ILogger logger, Exception exception, string entity, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Index partition did not take the change of {Entity}; it will reload it from storage")]
    private static partial void LogFailed(ILogger logger, Exception exception, string entity);
}
