using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace InMemoryDb.Api.Http;

/// <summary>RFC 7807 problem details for every failure, and the mapping from grain outcomes to status codes.</summary>
public static class Problems
{
    /// <summary>A problem response with a status code and a human-readable detail.</summary>
    public static ProblemHttpResult Of(int status, string detail) => TypedResults.Problem(new ProblemDetails
    {
        Status = status,
        Title = ReasonPhrases.GetReasonPhrase(status),
        Detail = detail,
    });

    /// <summary>400 Bad Request.</summary>
    public static ProblemHttpResult BadRequest(string detail) => Of(StatusCodes.Status400BadRequest, detail);

    /// <summary>422 with errors by field.</summary>
    public static ProblemHttpResult Validation(IReadOnlyDictionary<string, string[]> errors, string? detail = null)
        => TypedResults.Problem(new HttpValidationProblemDetails(errors.ToDictionary())
        {
            Status = StatusCodes.Status422UnprocessableEntity,
            Title = "One or more fields are invalid.",
            Detail = detail,
        });

    /// <summary>The problem for a failed grain outcome.</summary>
    public static ProblemHttpResult From<T>(Outcome<T> outcome) => outcome.Kind switch
    {
        OutcomeKind.NotFound => Of(StatusCodes.Status404NotFound, outcome.Detail ?? "Not found."),
        OutcomeKind.Conflict => Of(StatusCodes.Status409Conflict, outcome.Detail ?? "Conflict."),
        OutcomeKind.PreconditionFailed => Of(StatusCodes.Status412PreconditionFailed, outcome.Detail ?? "Precondition failed."),
        OutcomeKind.BadRequest => BadRequest(outcome.Detail ?? "Bad request."),
        OutcomeKind.Invalid => Validation(outcome.Errors ?? new Dictionary<string, string[]>(), outcome.Detail),
        OutcomeKind.Unavailable => Of(StatusCodes.Status503ServiceUnavailable, outcome.Detail ?? "Busy; retry later."),
        _ => throw new InvalidOperationException($"Outcome {outcome.Kind} is not a failure."),
    };
}
