using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace InMemoryDb.Api.Security;

/// <summary>
/// Authenticates a request by its API key: <c>Authorization: Bearer &lt;key&gt;</c> or <c>X-Api-Key: &lt;key&gt;</c>.
/// Keys are looked up by their SHA-256, so the comparison's timing says nothing of a key. A missing key is no result (the policy answers 401); a wrong key fails.
/// </summary>
public sealed class ApiKeyAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiKeyRegistry registry)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme name.</summary>
    public const string SchemeName = "ApiKey";

    /// <summary>The header that may carry the key instead of Authorization.</summary>
    public const string Header = "X-Api-Key";

    /// <inheritdoc />
    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var key = Presented(Request);
        if (key is null) return Task.FromResult(AuthenticateResult.NoResult());
        if (registry.Find(key) is not { } found) return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, found.Name), new Claim(ApiScopes.ClaimType, found.Scope)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    /// <inheritdoc />
    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Bearer realm=\"inmemorydb\"";
        return ApiProblems.WriteAsync(Context, StatusCodes.Status401Unauthorized,
            "This request needs an API key: send Authorization: Bearer <key> (or X-Api-Key: <key>).");
    }

    /// <inheritdoc />
    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
        => ApiProblems.WriteAsync(Context, StatusCodes.Status403Forbidden,
            $"The API key '{Context.User.Identity?.Name}' has scope '{Context.User.FindFirst(ApiScopes.ClaimType)?.Value}', which does not allow this request.");

    private static string? Presented(HttpRequest request)
    {
        var authorization = request.Headers.Authorization.ToString();
        if (authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return authorization[7..].Trim();
        var header = request.Headers[Header].ToString();
        return header.Length > 0 ? header.Trim() : null;
    }
}
