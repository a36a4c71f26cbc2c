using InMemoryDb.Api.Http;
using Microsoft.AspNetCore.Mvc;

namespace InMemoryDb.Api.Security;

/// <summary>Writes a problem-details response from middleware (authentication, rate limiting, time-outs), where no endpoint result applies.</summary>
public static class ApiProblems
{
    /// <summary>Writes <paramref name="status"/> with <paramref name="detail"/> through the problem-details service.</summary>
    public static async Task WriteAsync(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Status = status, Title = ReasonPhrases.GetReasonPhrase(status), Detail = detail },
        });
    }
}
