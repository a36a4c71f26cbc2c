using Microsoft.AspNetCore.Authorization;

namespace InMemoryDb.Api.Security;

/// <summary>Marks an endpoint as needing more than its method's scope (e.g. admin for bulk deletes and the event log).</summary>
/// <param name="scope">The scope the endpoint needs.</param>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Class)]
public sealed class RequiredScopeAttribute(string scope) : Attribute
{
    /// <summary>The scope.</summary>
    public string Scope { get; } = scope;
}

/// <summary>The requirement that the caller's key has the scope its request needs.</summary>
public sealed class ScopeRequirement : IAuthorizationRequirement;

/// <summary>
/// Decides <see cref="ScopeRequirement"/>: the scope a request needs is its endpoint's <see cref="RequiredScopeAttribute"/>,
/// or else read for GET/HEAD and write for other methods. Registered only when keys are configured: without them
/// authorization does not run at all (the open, loopback-only mode).
/// </summary>
public sealed class ScopeAuthorizationHandler : AuthorizationHandler<ScopeRequirement>
{
    /// <inheritdoc />
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (context.Resource is not HttpContext http) return Task.CompletedTask;
        var needed = http.GetEndpoint()?.Metadata.GetMetadata<RequiredScopeAttribute>()?.Scope ?? ApiScopes.ForMethod(http.Request.Method);
        var held = context.User.FindFirst(ApiScopes.ClaimType)?.Value;
        if (ApiScopes.Rank(held) >= ApiScopes.Rank(needed)) context.Succeed(requirement);
        return Task.CompletedTask;
    }
}

/// <summary>Endpoint conventions for scopes.</summary>
public static class ScopeConventions
{
    /// <summary>The endpoint needs <paramref name="scope"/> (more than its method would).</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder
        => builder.WithMetadata(new RequiredScopeAttribute(scope));
}
