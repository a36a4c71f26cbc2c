using InMemoryDb.Streaming;
using Microsoft.Extensions.Options;

namespace InMemoryDb.Grains.Streaming;

/// <summary>
/// One of the <see cref="Partitioning.Count"/> in-memory stores of recent replies, keyed by
/// <see cref="Partitioning.Bucket"/> of the correlation id. Every reply (reads and refusals included) is held here
/// for <see cref="StreamingOptions.StatusRetention"/>, at most <see cref="StreamingOptions.StatusMemoryPerPartition"/>
/// per partition (the oldest go first). Replies of writes are durable anyway: their events, logged with the change,
/// carry the correlation id, and <see cref="IStreamingGrain.GetStatusAsync"/> reads them from the event log when they
/// are no longer here (after a restart, or once pushed out).
/// </summary>
public interface IStatusPartitionGrain : IGrainWithIntegerKey
{
    /// <summary>Holds a reply.</summary>
    Task RecordAsync(StatusReply reply);

    /// <summary>The reply held under <paramref name="correlationId"/>, or null.</summary>
    [ReadOnly]
    Task<StatusReply?> GetAsync(string correlationId);
}

/// <summary>Recent replies of one partition (<see cref="IStatusPartitionGrain"/>), in memory only.</summary>
[KeepAlive]
public sealed class StatusPartitionGrain(IOptions<StreamingOptions> options) : Grain, IStatusPartitionGrain
{
    private readonly Dictionary<string, StatusReply> _replies = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    /// <summary>The partition of a correlation id.</summary>
    public static int Of(string correlationId) => Partitioning.Bucket(correlationId, Partitioning.Count);

    /// <inheritdoc />
    public Task RecordAsync(StatusReply reply)
    {
        if (_replies.TryAdd(reply.CorrelationId, reply)) _order.Enqueue(reply.CorrelationId);
        var oldest = DateTimeOffset.UtcNow - options.Value.StatusRetention;
        while (_order.Count > 0 && (_order.Count > options.Value.StatusMemoryPerPartition || _replies[_order.Peek()].Timestamp < oldest))
        {
            _replies.Remove(_order.Dequeue());
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<StatusReply?> GetAsync(string correlationId)
        => Task.FromResult(_replies.TryGetValue(correlationId, out var reply) && reply.Timestamp >= DateTimeOffset.UtcNow - options.Value.StatusRetention ? reply : null);
}
