namespace InMemoryDb;

/// <summary>
/// A call, or the write it was making, that the cluster refused rather than perform: the refused write was not
/// committed. <see cref="BeforeCall"/> tells that the call was refused before its grain method ran, so nothing of it
/// happened and it can be sent again as is.
/// </summary>
[GenerateSerializer]
[Alias("InMemoryDb.NotPerformedException")]
public abstract class NotPerformedException : Exception
{
    /// <summary>Creates the exception.</summary>
    protected NotPerformedException(string message, bool beforeCall) : base(message) => BeforeCall = beforeCall;

    /// <summary>True when the call was refused before its grain method ran.</summary>
    [Id(0)]
    public bool BeforeCall { get; init; }
}

/// <summary>The call's deadline (<see cref="Deadline"/>) passed before its work began or before its write was committed.</summary>
[GenerateSerializer]
[Alias("InMemoryDb.DeadlineExceededException")]
public sealed class DeadlineExceededException : NotPerformedException
{
    /// <summary>Creates the exception.</summary>
    public DeadlineExceededException(string message, bool beforeCall) : base(message, beforeCall)
    {
    }
}

/// <summary>
/// The silo that received the call could not confirm within its lease that the cluster still counts it as a member
/// (it was paused, cut off, or declared dead): it serves no call and commits no write until it has (docs/decisions/fencing-and-deadlines.md).
/// </summary>
[GenerateSerializer]
[Alias("InMemoryDb.SiloFencedException")]
public sealed class SiloFencedException : NotPerformedException
{
    /// <summary>Creates the exception.</summary>
    public SiloFencedException(string message, bool beforeCall) : base(message, beforeCall)
    {
    }
}

/// <summary>
/// An in-memory index is still loading its entries from storage after a restart: a listing, count or search would be
/// partial, so it is refused; ask again after <see cref="RetryAfterSeconds"/>. Single-entity reads are served meanwhile.
/// </summary>
[GenerateSerializer]
[Alias("InMemoryDb.IndexRebuildingException")]
public sealed class IndexRebuildingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public IndexRebuildingException(string message, int retryAfterSeconds) : base(message) => RetryAfterSeconds = retryAfterSeconds;

    /// <summary>When to ask again, in seconds.</summary>
    [Id(0)]
    public int RetryAfterSeconds { get; init; }
}

/// <summary>
/// A write was committed (durable, with its event) but the index partition that serves its reads did not confirm it
/// before the call's deadline: it may not be visible yet. Sending the same write again (same timestamp) is safe.
/// </summary>
[GenerateSerializer]
[Alias("InMemoryDb.ProjectionPendingException")]
public sealed class ProjectionPendingException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProjectionPendingException(string message) : base(message)
    {
    }
}
