namespace InMemoryDb.Api.Http;

/// <summary>
/// Headers that keep browsers from misusing answers: no MIME sniffing, no framing, no referrer, and a content
/// security policy (none at all for API answers; the Swagger UI at /docs may load its own scripts and styles).
/// Set when the response starts (with the correlation id), so they survive the exception handler clearing a failed response.
/// </summary>
public static class SecurityHeaders
{
    private const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";
    private const string DocsPolicy = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

    /// <summary>Sets the headers on <paramref name="context"/>'s response (called as it starts, see <see cref="CorrelationId"/>).</summary>
    public static void Apply(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/docs") ? DocsPolicy : ApiPolicy;
    }
}
