using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InMemoryDb.Api.Http;

/// <summary>The <c>limit</c>/<c>after</c> paging every listing shares, and its <c>Link: rel="next"</c> header.</summary>
public static class Paging
{
    /// <summary>How many items a streamed whole answer asks the grains for at a time.</summary>
    public const int StreamPageSize = 1000;

    /// <summary>Reads <c>limit</c> (absent: null); the 400 when it is not an integer from 1 to <paramref name="max"/>.</summary>
    public static ProblemHttpResult? TryLimit(string? text, int max, out int? limit)
    {
        limit = null;
        if (text is null) return null;
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed is < 1 || parsed > max)
        {
            return Problems.BadRequest($"limit must be an integer between 1 and {max}.");
        }
        limit = parsed;
        return null;
    }

    /// <summary>The link to the page after <paramref name="after"/>.</summary>
    public static string Next(HttpRequest request, int limit, string after)
        => $"{request.PathBase}{request.Path}?limit={limit.ToString(CultureInfo.InvariantCulture)}&after={Uri.EscapeDataString(after)}";

    /// <summary>Sets the <c>Link: rel="next"</c> header.</summary>
    public static void SetNext(HttpResponse response, string? link)
    {
        if (link is not null) response.Headers.Link = $"<{link}>; rel=\"next\"";
    }
}
