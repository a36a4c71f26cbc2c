using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace InMemoryDb.Api.Http;

/// <summary>
/// Turns exceptions into problem details with the right status: bad requests the framework detects (body too
/// large, unreadable body) keep their 4xx; an unreachable cluster or storage is a 503 (retry later); anything
/// else is a 500, logged with its trace id.
/// </summary>
public sealed partial class ApiExceptionHandler(IProblemDetailsService problems, ILogger<ApiExceptionHandler> logger) : IExceptionHandler
{
    /// <inheritdoc />
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var (status, detail) = exception switch
        {
            BadHttpRequestException bad => (bad.StatusCode, bad.StatusCode == StatusCodes.Status413PayloadTooLarge
                ? $"The request body is larger than {JsonBody.MaxBytes} bytes."
                : bad.Message),
            JsonException json => (StatusCodes.Status400BadRequest, $"Malformed JSON: {json.Message}"),
            DeadlineExceededException => (StatusCodes.Status504GatewayTimeout, "The request's deadline passed before its work was done; nothing of it was written after that."),
            IndexRebuildingException rebuilding => Retry(context, rebuilding.RetryAfterSeconds, StatusCodes.Status503ServiceUnavailable, rebuilding.Message),
            ProjectionPendingException => (StatusCodes.Status504GatewayTimeout, "The write was committed, but the index that serves its reads did not confirm it before the deadline: it may not be visible yet. Sending it again with the same timestamp is safe."),
            SiloFencedException => (StatusCodes.Status503ServiceUnavailable, "The silo holding this data could not confirm it is still a cluster member; nothing was written. Retry the request."),
            TimeoutException or OperationCanceledException => (StatusCodes.Status503ServiceUnavailable, "The request timed out inside the cluster; retry it."),
            Orleans.Runtime.OrleansException or Orleans.Storage.InconsistentStateException or Npgsql.NpgsqlException or System.Net.Sockets.SocketException
                => (StatusCodes.Status503ServiceUnavailable, "Storage or cluster is unavailable; retry the request."),
            _ => (StatusCodes.Status500InternalServerError, "An unexpected error occurred."),
        };

        if (status >= 500 && exception is not IndexRebuildingException)
        {
            LogFailure(logger, exception, context.Request.Method, context.Request.Path, status);
        }

        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = ReasonPhrases.GetReasonPhrase(status), Detail = detail },
        });
    }

    private static (int Status, string Detail) Retry(HttpContext context, int seconds, int status, string detail)
    {
        context.Response.Headers.RetryAfter = Math.Max(1, seconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
        return (status, detail);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Method} {Path} failed with {Status}")]
    private static partial void LogFailure(ILogger logger, Exception exception, string method, string path, int status);
}
