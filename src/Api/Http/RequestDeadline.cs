using System.Diagnostics;
using Microsoft.AspNetCore.Http.Timeouts;

namespace InMemoryDb.Api.Http;

/// <summary>
/// Every request gets an answer within <c>InMemoryDb:RequestTimeout</c> (default 10 s; <c>00:00:00</c>: none): past it
/// the client gets a 504 problem. The deadline travels with the request's grain calls (<see cref="InMemoryDb.Deadline"/>):
/// a silo refuses a call, and the storage a write, once it has passed, so a write answered with a 504 is either
/// committed already or never will be (read it back to know). The endpoint stops waiting for its handler and answers;
/// the handler's late result is dropped. Routes marked <c>DisableRequestTimeout()</c> (dump, join, events: they stream) are exempt and end when the
/// client goes. Deadlines come from a <see cref="DeadlineClock"/>, so a request costs no timer of its own.
/// </summary>
public static class RequestDeadline
{
    /// <summary>The default time a request may take.</summary>
    public static readonly TimeSpan Default = TimeSpan.FromSeconds(10);

    /// <summary><c>InMemoryDb:RequestTimeout</c>, checked; zero turns time-outs off.</summary>
    public static TimeSpan Of(IConfiguration configuration)
    {
        var timeout = configuration.GetValue("InMemoryDb:RequestTimeout", Default);
        return timeout >= TimeSpan.Zero
            ? timeout
            : throw new InvalidOperationException($"InMemoryDb:RequestTimeout must be a duration such as 00:00:10 (00:00:00: none); it is {timeout}.");
    }

    /// <summary>Gives the endpoints of <paramref name="builder"/> the time-out of <paramref name="clock"/>, but for those that disable it.</summary>
    public static TBuilder WithRequestDeadline<TBuilder>(this TBuilder builder, DeadlineClock clock) where TBuilder : IEndpointConventionBuilder
        => builder.AddEndpointFilter(async (context, next) =>
            {
                // Metadata lookups by type are cached by the endpoint.
                if (context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<DisableRequestTimeoutAttribute>() is not null) return await next(context);
                var deadline = clock.Token;
                // Grains refuse the work once nobody waits for it, so a write cannot land long after its 504.
                InMemoryDb.Deadline.Set(clock.Timeout);
                try
                {
                    return await next(context).AsTask().WaitAsync(deadline);
                }
                catch (OperationCanceledException) when (deadline.IsCancellationRequested && !context.HttpContext.Response.HasStarted)
                {
                    return Problems.Of(StatusCodes.Status504GatewayTimeout,
                        $"The request did not complete within {clock.Timeout.TotalSeconds:0.###} s (InMemoryDb:RequestTimeout). A write may still take effect: read it back before retrying.");
                }
            });
}

/// <summary>
/// Deadline tokens for requests without a timer each: every tick (100 ms) a new token is handed out, cancelled a
/// time-out after its tick ended, so a request is answered between the time-out and a tick after it.
/// </summary>
public sealed class DeadlineClock : IDisposable
{
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(100);
    private readonly Queue<(long Due, CancellationTokenSource Source)> _armed = new();
    private readonly Timer _timer;
    private CancellationTokenSource _current;

    /// <summary>Starts the clock.</summary>
    public DeadlineClock(TimeSpan timeout)
    {
        Timeout = timeout;
        _current = Arm(Stopwatch.GetTimestamp());
        _timer = new Timer(_ => Advance(), null, Tick, Tick);
    }

    /// <summary>The time-out.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The token of a request starting now: cancelled between <see cref="Timeout"/> and a tick after it.</summary>
    public CancellationToken Token => Volatile.Read(ref _current).Token;

    /// <inheritdoc />
    public void Dispose()
    {
        _timer.Dispose();
        lock (_armed)
        {
            while (_armed.Count > 0) _armed.Dequeue().Source.Dispose();
        }
    }

    private void Advance()
    {
        var now = Stopwatch.GetTimestamp();
        List<CancellationTokenSource>? due = null;
        lock (_armed)
        {
            while (_armed.Count > 0 && _armed.Peek().Due <= now) (due ??= []).Add(_armed.Dequeue().Source);
            Volatile.Write(ref _current, Arm(now));
        }
        // Cancelled outside the lock: cancelling runs the waiting requests' callbacks.
        foreach (var source in due ?? [])
        {
            source.Cancel();
            source.Dispose();
        }
    }

    private CancellationTokenSource Arm(long now)
    {
        var source = new CancellationTokenSource();
        _armed.Enqueue((now + (long)((Timeout + Tick).TotalSeconds * Stopwatch.Frequency), source));
        return source;
    }
}
