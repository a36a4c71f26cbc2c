using InMemoryDb.Events;
using InMemoryDb.Streaming;
using Orleans;
using Orleans.Streams;

namespace InMemoryDb.SampleClient;

/// <summary>The streaming platform from another .NET service: a call, its reply on <c>response_events</c>, its event on the log.</summary>
public static class Platform
{
    /// <summary>Creates a user and waits (10 s at most) to see its reply and its event arrive on the streams; false if either did not.</summary>
    public static async Task<bool> CreateUserAndWatchAsync(IClusterClient grains)
    {
        // The service's HTTP front end issues a UUID per request; a .NET caller issues its own the same way.
        var correlationId = Guid.NewGuid().ToString();
        var reply = new TaskCompletionSource<StatusReply>(TaskCreationOptions.RunContinuationsAsynchronously);
        var change = new TaskCompletionSource<EventEnvelope>(TaskCreationOptions.RunContinuationsAsynchronously);

        var replies = grains.GetStreamProvider(StreamingKeys.ReplyStreamProvider).GetStream<StatusReply>(StreamingKeys.ReplyStream);
        var repliesHandle = await replies.SubscribeAsync((r, _) =>
        {
            if (r.CorrelationId == correlationId) reply.TrySetResult(r);
            return Task.CompletedTask;
        });
        // Without a token the log is delivered from now on; EventLogToken.After(position) resumes from a position.
        var log = grains.GetStreamProvider(EventStreams.ProviderName).GetStream<EventEnvelope>(EventStreams.Log);
        var logHandle = await log.SubscribeAsync((e, _) =>
        {
            if (e.CorrelationId == correlationId && e.Method == StreamingEvents.UserCreated) change.TrySetResult(e);
            return Task.CompletedTask;
        });

        try
        {
            Correlation.Set(correlationId);
            var created = await grains.GetGrain<IStreamingGrain>(0).CreateUserAsync(new NovoUsuario());
            if (!created.Succeeded)
            {
                Console.WriteLine($"platform -> {created.Kind}: {created.Detail}");
                return false;
            }
            Console.WriteLine($"platform -> {created.Value!.Message}: {created.Value.BodyJson}");
            var both = Task.WhenAll(reply.Task, change.Task);
            if (await Task.WhenAny(both, Task.Delay(TimeSpan.FromSeconds(10))) != both)
            {
                Console.WriteLine($"platform -> reply seen: {reply.Task.IsCompleted}, event seen: {change.Task.IsCompleted} (after 10 s)");
                return false;
            }
            Console.WriteLine($"platform -> reply on response_events: {reply.Task.Result.OriginalEventType} {reply.Task.Result.Status}");
            Console.WriteLine($"platform -> event on the log: {change.Task.Result.Method} {change.Task.Result.Entity}/{change.Task.Result.Key}");
            return true;
        }
        finally
        {
            await repliesHandle.UnsubscribeAsync();
            await logHandle.UnsubscribeAsync();
        }
    }
}
