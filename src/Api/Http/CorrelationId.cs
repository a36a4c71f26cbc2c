namespace InMemoryDb.Api.Http;

/// <summary>
/// Takes the correlation id from <c>X-Correlation-Id</c> (or makes one), echoes it in the response, and puts it
/// in Orleans' request context so the grains store it with the events this request causes.
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
        // Set as the response starts, so answers the exception handler rewrote (it clears headers) carry it too.
        context.Response.OnStarting(static state =>
        {
            var (response, value) = ((HttpResponse, string))state;
            response.Headers[Header] = value;
            return Task.CompletedTask;
        }, (context.Response, id));
        await next(context);
    });

    private static bool IsAcceptable(string value)
        => value.Length is > 0 and <= Correlation.MaxLength && value.All(c => c is > ' ' and < (char)127);
}
