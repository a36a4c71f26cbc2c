namespace InMemoryDb.Tests.Infrastructure;

/// <summary>Polls an eventually-consistent condition until it holds or a deadline passes (no fixed sleeps).</summary>
public static class Eventually
{
    /// <summary>Returns the first value satisfying <paramref name="done"/>; fails with the last value after <paramref name="timeout"/>.</summary>
    public static async Task<T> Poll<T>(Func<Task<T>> read, Func<T, bool> done, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Condition not met in time; last value: {value}");
            await Task.Delay(25);
        }
    }
}
