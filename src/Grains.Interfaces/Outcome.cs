namespace InMemoryDb;

/// <summary>How a command on a grain ended; the HTTP front end maps each kind to one status code.</summary>
[GenerateSerializer, Alias("inmemorydb.outcome-kind")]
public enum OutcomeKind
{
    /// <summary>The command succeeded (200).</summary>
    Ok = 0,
    /// <summary>The command created the entity (201).</summary>
    Created = 1,
    /// <summary>The entity does not exist (404).</summary>
    NotFound = 2,
    /// <summary>The entity, or a unique value it claims, already exists (409).</summary>
    Conflict = 3,
    /// <summary>The expected version (If-Match) is not the current one (412).</summary>
    PreconditionFailed = 4,
    /// <summary>The input is well-formed but breaks a rule; see <see cref="Outcome{T}.Errors"/> (422).</summary>
    Invalid = 5,
    /// <summary>The request itself is malformed, e.g. a bad table name (400).</summary>
    BadRequest = 6,
    /// <summary>The command was valid but had no effect, e.g. an older last-writer-wins write.</summary>
    Ignored = 7,
    /// <summary>The service is too busy to take the command now; nothing changed, retry it later (503).</summary>
    Unavailable = 8,
}

/// <summary>The result of a grain command: a kind, a value when it succeeded, and details when it did not.</summary>
/// <typeparam name="T">The value type.</typeparam>
[GenerateSerializer, Immutable, Alias("inmemorydb.outcome`1")]
public sealed record Outcome<T>(
    [property: Id(0)] OutcomeKind Kind,
    [property: Id(1)] T? Value = default,
    [property: Id(2)] string? Detail = null,
    [property: Id(3)] IReadOnlyDictionary<string, string[]>? Errors = null)
{
    /// <summary>True when the command took effect or read a value.</summary>
    public bool Succeeded => Kind is OutcomeKind.Ok or OutcomeKind.Created;

    /// <summary>A successful outcome.</summary>
    public static Outcome<T> Ok(T value) => new(OutcomeKind.Ok, value);

    /// <summary>A creation outcome.</summary>
    public static Outcome<T> Created(T value) => new(OutcomeKind.Created, value);

    /// <summary>A not-found outcome.</summary>
    public static Outcome<T> NotFound(string detail) => new(OutcomeKind.NotFound, Detail: detail);

    /// <summary>A conflict outcome.</summary>
    public static Outcome<T> Conflict(string detail) => new(OutcomeKind.Conflict, Detail: detail);

    /// <summary>A failed precondition outcome.</summary>
    public static Outcome<T> PreconditionFailed(string detail) => new(OutcomeKind.PreconditionFailed, Detail: detail);

    /// <summary>A busy outcome: nothing changed, retry later.</summary>
    public static Outcome<T> Unavailable(string detail) => new(OutcomeKind.Unavailable, Detail: detail);

    /// <summary>A bad-request outcome.</summary>
    public static Outcome<T> BadRequest(string detail) => new(OutcomeKind.BadRequest, Detail: detail);

    /// <summary>A validation failure with per-field messages.</summary>
    public static Outcome<T> Invalid(IReadOnlyDictionary<string, string[]> errors, string detail = "One or more fields are invalid.")
        => new(OutcomeKind.Invalid, Detail: detail, Errors: errors);

    /// <summary>A validation failure on one field.</summary>
    public static Outcome<T> Invalid(string field, string message)
        => Invalid(new Dictionary<string, string[]> { [field] = [message] });

    /// <summary>
    /// The refusal of a JSON value beyond <see cref="InputLimits"/>: 400 when malformed, else 422 naming its path (or
    /// <paramref name="whole"/> when the problem is the value itself).
    /// </summary>
    public static Outcome<T> Refused(JsonProblem problem, string whole)
    {
        var field = problem.Path.Length == 0 ? whole : problem.Path;
        return problem.Malformed ? BadRequest($"{field} {problem.Message}.") : Invalid(field, problem.Message);
    }

    /// <summary>Carries a failure over to an outcome of another value type.</summary>
    public Outcome<TOther> As<TOther>() => Succeeded
        ? throw new InvalidOperationException("Only failed outcomes can change their value type.")
        : new(Kind, default, Detail, Errors);
}
