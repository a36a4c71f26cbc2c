namespace InMemoryDb;

/// <summary>
/// The deadline of the operation in progress: past it, nobody waits for its answer any more, so no silo starts its
/// work and no write of it is committed (<see cref="DeadlineExceededException"/>). The HTTP front end sets it from the
/// request time-out; other .NET services may set it before calling a grain. It travels with every grain call in Orleans'
/// <see cref="RequestContext"/> as Unix milliseconds of wall-clock time, so it assumes the clocks of clients and silos
/// agree to well within the time-outs used (docs/decisions/fencing-and-deadlines.md).
/// </summary>
public static class Deadline
{
    /// <summary>The <see cref="RequestContext"/> key.</summary>
    public const string Key = "inmemorydb.deadline";

    /// <summary>The deadline of the current call in Unix milliseconds, or null when it has none.</summary>
    public static long? Current => RequestContext.Get(Key) is long unixMilliseconds ? unixMilliseconds : null;

    /// <summary>True when the current call has a deadline and it has passed.</summary>
    public static bool HasPassed => Current is { } deadline && DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() >= deadline;

    /// <summary>Sets the deadline of the calls that follow on this logical flow to <paramref name="timeout"/> from now.</summary>
    public static void Set(TimeSpan timeout) => RequestContext.Set(Key, DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() + (long)timeout.TotalMilliseconds);

    /// <summary>Removes the deadline from the calls that follow (work that must finish once begun, such as projecting a committed write).</summary>
    public static void Clear() => RequestContext.Remove(Key);

    /// <summary>Throws <see cref="DeadlineExceededException"/> when the current call's deadline has passed.</summary>
    public static void ThrowIfPassed(string work, bool beforeCall)
    {
        if (Current is { } deadline && DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() >= deadline)
        {
            throw new DeadlineExceededException($"The deadline of this call passed {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - deadline} ms ago: {work} was not done.", beforeCall);
        }
    }
}
