using System.Diagnostics.CodeAnalysis;
using Orleans;

namespace InMemoryDb.Tests.Infrastructure;

/// <summary>A grain state holder for calling a storage provider directly (as a crashed grain would have left it).</summary>
public sealed class TestGrainState<T> : IGrainState<T>
{
    /// <inheritdoc />
    [AllowNull]
    public T State { get; set; } = default!;

    /// <inheritdoc />
    public string? ETag { get; set; }

    /// <inheritdoc />
    public bool RecordExists { get; set; }
}
