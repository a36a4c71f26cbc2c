using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;

namespace InMemoryDb.Silo.Hosting;

/// <summary>
/// The client's one retry: a grain call that failed because its silo was unavailable is sent once more, where that
/// cannot do anything twice. That is a read-only method (<see cref="ReadOnlyAttribute"/>), or any call refused before
/// its method ran (<see cref="NotPerformedException.BeforeCall"/>: a fenced silo). A write whose fate is unknown is not
/// retried: its caller gets the error, and its deadline bounds when it could still land (docs/decisions/fencing-and-deadlines.md).
/// The second attempt finds a live silo: the dead one's calls fail once it is declared dead, and the gateway list then
/// leaves it (<see cref="GatewayWatch"/>).
/// </summary>
public sealed partial class CallRetry(ILogger<CallRetry> logger) : IOutgoingGrainCallFilter
{
    private static readonly ConcurrentDictionary<MethodInfo, bool> ReadOnlyMethods = new();

    /// <inheritdoc />
    public async Task Invoke(IOutgoingGrainCallContext context)
    {
        try
        {
            await context.Invoke();
        }
        catch (Exception e) when (IsRetriable(context.InterfaceMethod, e) && !Deadline.HasPassed)
        {
            LogRetry(logger, context.InterfaceMethod?.Name ?? "?", context.TargetId, e.GetType().Name);
            await context.Invoke();
        }
    }

    /// <summary>True when the call may be sent again after <paramref name="error"/>.</summary>
    public static bool IsRetriable(MethodInfo? method, Exception error) => error switch
    {
        DeadlineExceededException => false,
        NotPerformedException { BeforeCall: true } => true,
        SiloFencedException or SiloUnavailableException or OrleansMessageRejectionException or TimeoutException => IsReadOnly(method),
        _ => false,
    };

    private static bool IsReadOnly(MethodInfo? method)
        => method is not null && ReadOnlyMethods.GetOrAdd(method, static m => m.IsDefined(typeof(ReadOnlyAttribute), inherit: true));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retrying {Method} on {Grain} once: {Error}")]
    private static partial void LogRetry(ILogger logger, string method, GrainId grain, string error);
}
