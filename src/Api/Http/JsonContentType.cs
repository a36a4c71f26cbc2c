using Microsoft.AspNetCore.Http.Features;
using Microsoft.Net.Http.Headers;

namespace InMemoryDb.Api.Http;

/// <summary>
/// A request with a body must declare it JSON (<c>application/json</c> or <c>application/*+json</c>), else 415 and
/// nothing changes: a cross-site HTML form can send a body without a pre-flight only as text/plain, form data or with
/// no type. Body-less writes (seed 002's query-parameter POSTs) are not affected.
/// </summary>
public static class JsonContentType
{
    /// <summary>Adds the middleware.</summary>
    public static IApplicationBuilder UseJsonRequestBodies(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        var request = context.Request;
        var hasBody = request.ContentLength > 0
                      || (request.ContentLength is null && context.Features.Get<IHttpRequestBodyDetectionFeature>()?.CanHaveBody == true);
        if (!hasBody || IsJson(request.ContentType)) return next(context);
        return Security.ApiProblems.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType,
            $"A request body must be JSON: send Content-Type: application/json (it is '{request.ContentType}').");
    });

    /// <summary>True for <c>application/json</c> and <c>application/*+json</c>, with any parameters.</summary>
    public static bool IsJson(string? contentType)
    {
        if (!MediaTypeHeaderValue.TryParse(contentType, out var media)) return false;
        return media.MatchesMediaType("application/json")
               || (media.Type.Equals("application", StringComparison.OrdinalIgnoreCase) && media.Suffix.Equals("json", StringComparison.OrdinalIgnoreCase));
    }
}
