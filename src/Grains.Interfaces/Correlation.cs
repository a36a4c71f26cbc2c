namespace InMemoryDb;

/// <summary>
/// The correlation id of the operation in progress. The HTTP front end takes it from the
/// <c>X-Correlation-Id</c> header; other .NET services may set it before calling a grain.
/// It travels with every grain call in Orleans' <see cref="RequestContext"/> and is stored with each event.
/// </summary>
public static class Correlation
{
    /// <summary>The <see cref="RequestContext"/> key.</summary>
    public const string Key = "inmemorydb.correlation-id";

    /// <summary>The longest correlation id kept; longer ones are replaced by a generated id.</summary>
    public const int MaxLength = 128;

    /// <summary>The correlation id of the current call, if any.</summary>
    public static string? Current => RequestContext.Get(Key) as string;

    /// <summary>Sets the correlation id for the calls that follow on this logical flow.</summary>
    public static void Set(string correlationId) => RequestContext.Set(Key, correlationId);
}
