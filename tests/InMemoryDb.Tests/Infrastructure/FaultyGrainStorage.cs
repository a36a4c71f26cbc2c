using System.Collections.Concurrent;
using InMemoryDb.Grains;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace InMemoryDb.Tests.Infrastructure;

/// <summary>How an armed state write fails.</summary>
public enum WriteFault
{
    /// <summary>The write is applied, then the caller gets an error (the commit's answer was lost).</summary>
    AnswerLost,

    /// <summary>The caller gets an error and nothing is written.</summary>
    Refused,

    /// <summary>The write hangs for <see cref="FaultyGrainStorage.StallTime"/>, then is applied (a frozen database).</summary>
    Stalled,
}

/// <summary>
/// A grain storage (the embedded one, or the ADO.NET provider on PostgreSQL) with faults injected on demand: the next
/// write of one grain state fails as armed, and then its next <c>failedReads</c> reads fail too (storage still
/// unreachable when the grain reads back).
/// </summary>
public sealed class FaultyGrainStorage(IGrainStorage inner) : IGrainStorage, ILifecycleParticipant<ISiloLifecycle>
{
    /// <summary>Replaces the service's grain storage in <paramref name="services"/> by one wrapping it.</summary>
    public static void Decorate(IServiceCollection services)
    {
        var original = services.Last(d => d.ServiceType == typeof(IGrainStorage) && Equals(d.ServiceKey, ProviderNames.Storage));
        services.Remove(original);
        services.AddKeyedSingleton<IGrainStorage>(ProviderNames.Storage, (sp, key) => new FaultyGrainStorage(original.KeyedImplementationFactory is { } create
            ? (IGrainStorage)create(sp, key)
            : (IGrainStorage)(original.KeyedImplementationInstance ?? ActivatorUtilities.CreateInstance(sp, original.KeyedImplementationType!))));
    }

    /// <inheritdoc />
    public void Participate(ISiloLifecycle lifecycle) => (inner as ILifecycleParticipant<ISiloLifecycle>)?.Participate(lifecycle);

    private readonly ConcurrentDictionary<(string StateName, string Key), Fault> _armed = new();

    /// <summary>Arms one fault for the next write of state <paramref name="stateName"/> of the grain keyed <paramref name="key"/>.</summary>
    public void Arm(string stateName, string key, WriteFault write, int failedReads = 0)
        => _armed[(stateName, key)] = new Fault(write, failedReads);

    /// <summary>How many armed faults have not fired yet (reads included).</summary>
    public int Pending => _armed.Count;

    /// <summary>How long a <see cref="WriteFault.Stalled"/> write hangs.</summary>
    public static TimeSpan StallTime { get; } = TimeSpan.FromSeconds(3);

    /// <inheritdoc />
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId.Key.ToString()!);
        if (_armed.TryGetValue(key, out var fault) && fault.Fired && fault.FailedReads > 0)
        {
            if (--fault.FailedReads == 0) _armed.TryRemove(key, out _);
            throw new TimeoutException("Injected: the storage did not answer the read.");
        }
        return inner.ReadStateAsync(stateName, grainId, grainState);
    }

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId.Key.ToString()!);
        if (!_armed.TryGetValue(key, out var fault) || fault.Fired)
        {
            await inner.WriteStateAsync(stateName, grainId, grainState);
            return;
        }
        fault.Fired = true;
        if (fault.FailedReads == 0) _armed.TryRemove(key, out _);
        if (fault.Write == WriteFault.Stalled)
        {
            await Task.Delay(StallTime);
            await inner.WriteStateAsync(stateName, grainId, grainState);
            return;
        }
        if (fault.Write == WriteFault.AnswerLost)
        {
            // Applied in storage, but the grain's copy of the version is not advanced: the answer never came.
            var etag = grainState.ETag;
            var exists = grainState.RecordExists;
            await inner.WriteStateAsync(stateName, grainId, grainState);
            (grainState.ETag, grainState.RecordExists) = (etag, exists);
        }
        throw new TimeoutException("Injected: the storage did not answer the write.");
    }

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
        => inner.ClearStateAsync(stateName, grainId, grainState);

    private sealed class Fault(WriteFault write, int failedReads)
    {
        public WriteFault Write { get; } = write;

        public int FailedReads { get; set; } = failedReads;

        public bool Fired { get; set; }
    }
}
