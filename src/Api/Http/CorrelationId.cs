namespace InMemoryDb.Api.Http;

/// <summary>
/// Takes the correlation id from <c>X-Correlation-Id</c> (or makes one), echoes it in the response with the
/// <see cref="SecurityHeaders"/>, and puts it in Orleans' request context so the grains store it with the events this
/// request causes.
/// </summary>
public static class CorrelationId
{
    /// <summary>The header name.</summary>
    public const string Header = "X-Correlation-Id";

    /// <summary>Adds the middleware.</summary>
    public static IApplicationBuilder UseCorrelationId(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var given = context.Request.Headers[Header].ToString();
        var id = IsAcceptable(given) ? given : Guid.NewGuid().ToString("N");
        Correlation.Set(id);
        context.Items[Header] = id;
        // Set as the response starts, so answers the exception handler rewrote (it clears headers) carry them too;
        // one callback for this and the security headers.
        context.Response.OnStarting(static state =>
        {
            var context = (HttpContext)state;
            context.Response.Headers[Header] = (string)context.Items[Header]!;
            SecurityHeaders.Apply(context);
            return Task.CompletedTask;
        }, context);
        await next(context);
    });

    private static bool IsAcceptable(string value)
        => value.Length is > 0 and <= Correlation.MaxLength && value.All(c => c is > ' ' and < (char)127);
}
