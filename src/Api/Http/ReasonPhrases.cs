namespace InMemoryDb.Api.Http;

/// <summary>Standard reason phrases, used as problem titles.</summary>
internal static class ReasonPhrases
{
    public static string GetReasonPhrase(int status)
        => Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(status) is { Length: > 0 } phrase ? phrase : $"HTTP {status}";
}
