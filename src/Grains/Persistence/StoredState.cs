using System.Diagnostics.CodeAnalysis;

namespace InMemoryDb.Grains.Persistence;

/// <summary>
/// A grain state held by a grain that calls its <see cref="Orleans.Storage.IGrainStorage"/> itself (instead of
/// through <see cref="IPersistentState{TState}"/>), e.g. to skip the read on activation.
/// </summary>
public sealed class StoredState<T> : IGrainState<T> where T : class, new()
{
    /// <inheritdoc />
    [AllowNull]
    public T State { get => field ??= new T(); set; }

    /// <inheritdoc />
    public string? ETag { get; set; }

    /// <inheritdoc />
    public bool RecordExists { get; set; }
}
