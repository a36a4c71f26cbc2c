using System.Text;
using System.Text.Json;
using InMemoryDb.Streaming;
using Microsoft.AspNetCore.Http.HttpResults;

namespace InMemoryDb.Api.Streaming;

/// <summary>
/// The platform's answers: <c>{"mensagem", "status": "success", ...result fields, "correlation_id", "status_url"}</c>
/// (the original's shape plus the outcome), status records, and problem details that carry the correlation id too.
/// </summary>
public static class PlatformResults
{
    /// <summary>The <see cref="HttpContext.Items"/> key of the correlation id issued for the request.</summary>
    public const string CorrelationItem = "inmemorydb.streaming.correlation-id";

    /// <summary>The path of a reply's status.</summary>
    public static string StatusUrl(string correlationId) => "/status/" + correlationId;

    /// <summary>A reply (200), with its ETag when it has one.</summary>
    public static IResult Reply(StreamingReply reply) => new Json(context =>
    {
        if (reply.ETag is { } etag) context.Response.Headers.ETag = etag;
        var json = new StringBuilder(reply.BodyJson.Length + 160);
        json.Append("{\"mensagem\":").Append(Quote(reply.Message)).Append(",\"status\":\"success\"");
        AppendMembers(json, reply.BodyJson);
        json.Append(",\"correlation_id\":").Append(Quote(reply.CorrelationId))
            .Append(",\"status_url\":").Append(Quote(StatusUrl(reply.CorrelationId))).Append('}');
        return json.ToString();
    });

    /// <summary>A recorded reply, as <c>GET /status/{correlation_id}</c> answers it.</summary>
    public static IResult Status(StatusReply status) => new Json(_ =>
    {
        var json = new StringBuilder((status.BodyJson?.Length ?? 0) + 240);
        json.Append("{\"correlation_id\":").Append(Quote(status.CorrelationId))
            .Append(",\"event_type\":\"response\",\"original_event_type\":").Append(Quote(status.OriginalEventType))
            .Append(",\"timestamp\":").Append(JsonSerializer.Serialize(status.Timestamp))
            .Append(",\"status\":").Append(Quote(status.Status))
            .Append(",\"message\":").Append(Quote(status.Message))
            .Append(",\"http_status\":").Append(status.HttpStatus);
        if (status.BodyJson is { } body) AppendMembers(json, body);
        json.Append('}');
        return json.ToString();
    });

    /// <summary>A problem (RFC 7807) with the request's <c>correlation_id</c> and <c>status_url</c> as extensions.</summary>
    public static IResult Problem(ProblemHttpResult problem) => new WithCorrelation(problem);

    private static void AppendMembers(StringBuilder json, string bodyJson)
    {
        var inner = bodyJson.AsSpan().Trim();
        if (inner.Length > 2) json.Append(',').Append(inner[1..^1]);
    }

    private static string Quote(string text) => JsonSerializer.Serialize(text, Grains.Streaming.StreamingJson.Options);

    private sealed class Json(Func<HttpContext, string> write) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            var bytes = Encoding.UTF8.GetBytes(write(httpContext));
            httpContext.Response.ContentType = "application/json; charset=utf-8";
            httpContext.Response.ContentLength = bytes.Length;
            await httpContext.Response.Body.WriteAsync(bytes, httpContext.RequestAborted);
        }
    }

    private sealed class WithCorrelation(ProblemHttpResult problem) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            if (httpContext.Items[CorrelationItem] is string id)
            {
                problem.ProblemDetails.Extensions["correlation_id"] = id;
                problem.ProblemDetails.Extensions["status_url"] = StatusUrl(id);
            }
            return problem.ExecuteAsync(httpContext);
        }
    }
}
