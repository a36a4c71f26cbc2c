using InMemoryDb.Api.Models.Questions;

namespace InMemoryDb.Api.Http;

/// <summary>
/// Seed 000's response bodies, kept so its clients keep working: FastAPI's <c>{"detail": "..."}</c> for 4xx and
/// <c>{"detail": [{"loc", "msg", "type"}]}</c> for 422 (pydantic v1's shape, as FastAPI 0.95 wrote it).
/// </summary>
public static class SeedResults
{
    /// <summary>A <c>{"detail": "..."}</c> response.</summary>
    public static IResult Detail(int status, string detail) => TypedResults.Json(new DetailResponse(detail), statusCode: status);

    /// <summary>A 422 with field errors.</summary>
    public static IResult Validation(IReadOnlyList<FieldError> errors)
        => TypedResults.Json(new ValidationErrorResponse(errors), statusCode: StatusCodes.Status422UnprocessableEntity);

    /// <summary>A 422 with one error.</summary>
    public static IResult Validation(string where, string field, string msg, string type)
        => Validation([new FieldError([where, field], msg, type)]);

    /// <summary>The response for a failed grain outcome: 400/404 with a detail, 422 with the rule each field broke.</summary>
    public static IResult From<T>(Outcome<T> outcome) => outcome.Kind switch
    {
        OutcomeKind.Conflict or OutcomeKind.BadRequest => Detail(StatusCodes.Status400BadRequest, outcome.Detail ?? "Bad request"),
        OutcomeKind.NotFound => Detail(StatusCodes.Status404NotFound, outcome.Detail ?? "Not found"),
        OutcomeKind.Unavailable => Detail(StatusCodes.Status503ServiceUnavailable, outcome.Detail ?? "Busy; retry later"),
        OutcomeKind.Invalid => Validation((outcome.Errors ?? new Dictionary<string, string[]>())
            .SelectMany(e => e.Value.Select(msg => new FieldError(["body", e.Key], msg, "value_error")))
            .ToArray()),
        _ => throw new InvalidOperationException($"Outcome {outcome.Kind} is not a failure."),
    };
}
