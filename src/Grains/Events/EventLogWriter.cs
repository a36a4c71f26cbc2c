using System.Threading.Channels;
using Microsoft.Extensions.Hosting;

namespace InMemoryDb.Grains.Events;

/// <summary>
/// This silo's writer of the event log: takes the events the consumer grains receive, stores them in
/// batches (one round trip for many events), then confirms each one to the grain that emitted it so that
/// grain can drop it from its outbox. A batch that fails to store is dropped and logged: its events are
/// still in their grains' outboxes, which publish them again until they are confirmed.
/// </summary>
public sealed partial class EventLogWriter(IEventLogStore store, IGrainFactory grains, ILogger<EventLogWriter> logger) : BackgroundService
{
    private const int MaxBatch = 1000;
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);
    private readonly Channel<EventEnvelope> _channel = Channel.CreateUnbounded<EventEnvelope>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Queues an event to be stored.</summary>
    public void Enqueue(EventEnvelope item) => _channel.Writer.TryWrite(item);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<EventEnvelope>(MaxBatch);
        try
        {
            while (await _channel.Reader.WaitToReadAsync(stoppingToken))
            {
                await WriteAvailableAsync(batch, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: store what is already queued, within a deadline.
            using var drain = new CancellationTokenSource(DrainTimeout);
            await WriteAvailableAsync(batch, drain.Token);
        }
    }

    private async Task WriteAvailableAsync(List<EventEnvelope> batch, CancellationToken cancellationToken)
    {
        while (true)
        {
            batch.Clear();
            var seen = new HashSet<Guid>();
            while (batch.Count < MaxBatch && _channel.Reader.TryRead(out var item))
            {
                if (seen.Add(item.EventId)) batch.Add(item);
            }
            if (batch.Count == 0) return;

            try
            {
                await store.AppendAsync(batch, cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                LogAppendFailed(logger, e, batch.Count);
                await Task.Delay(TimeSpan.FromMilliseconds(500), CancellationToken.None);
                continue;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            Confirm(batch);
        }
    }

    private void Confirm(List<EventEnvelope> batch)
    {
        foreach (var bySource in batch.GroupBy(e => e.Source))
        {
            try
            {
                var source = grains.GetGrain<IEventSourceGrain>(GrainId.Parse(bySource.Key));
                _ = source.ConfirmEventsAsync(bySource.Select(e => e.EventId).ToArray());
            }
            catch (Exception e)
            {
                LogConfirmFailed(logger, e, bySource.Key);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not store {Count} events in the event log; their grains will publish them again")]
    private static partial void LogAppendFailed(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not confirm stored events to {Source}")]
    private static partial void LogConfirmFailed(ILogger logger, Exception exception, string source);
}
