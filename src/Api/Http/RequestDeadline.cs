using Microsoft.AspNetCore.Http.Timeouts;

namespace InMemoryDb.Api.Http;

/// <summary>
/// Every request gets an answer within <c>InMemoryDb:RequestTimeout</c> (default 10 s): past it the client gets a 504
/// problem (the work may still complete: a write's fate is then unknown, read it back). Streaming routes (dump, join,
/// events) are exempt and end when the client goes.
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

    /// <summary>Registers the time-out policy (none when the time-out is zero).</summary>
    public static IServiceCollection AddRequestDeadline(this IServiceCollection services, IConfiguration configuration)
    {
        var timeout = Of(configuration);
        if (timeout == TimeSpan.Zero) return services;
        return services.AddRequestTimeouts(o => o.DefaultPolicy = new RequestTimeoutPolicy
        {
            Timeout = timeout,
            TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
            WriteTimeoutResponse = context => Security.ApiProblems.WriteAsync(context, StatusCodes.Status504GatewayTimeout,
                $"The request did not complete within {timeout.TotalSeconds:0.###} s (InMemoryDb:RequestTimeout). A write may still take effect: read it back before retrying."),
        });
    }

    /// <summary>
    /// Makes the endpoints of <paramref name="builder"/> give up waiting when their request times out: a grain call cannot
    /// be cancelled, so the handler stops waiting for it and the time-out middleware answers.
    /// </summary>
    public static TBuilder ObserveRequestTimeout<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
        => builder.AddEndpointFilter(static async (context, next) =>
        {
            var aborted = context.HttpContext.RequestAborted;
            if (!aborted.CanBeCanceled) return await next(context);
            return await next(context).AsTask().WaitAsync(aborted);
        });
}
