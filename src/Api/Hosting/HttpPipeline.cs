using System.Net;
using System.Text.Json;
using InMemoryDb.Api.Apis;
using InMemoryDb.Api.Http;
using InMemoryDb.Api.Security;
using InMemoryDb.Api.Streaming;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace InMemoryDb.Api.Hosting;

/// <summary>The HTTP side of the API: limits, errors, security and the routes, composed in one place.</summary>
public static class HttpPipeline
{
    /// <summary>
    /// Registers what the pipeline needs: Kestrel limits, problem details, JSON options, OpenAPI, API-key authentication
    /// with scopes, per-client rate limits, request time-outs and known proxies. Returns why the API must not start
    /// (listening beyond loopback with no key), or null.
    /// </summary>
    public static string? AddInMemoryDbHttp(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var keys = configuration.GetSection(ApiKeyOptions.Section).Get<ApiKeyOptions>() ?? new ApiKeyOptions();
        var registry = new ApiKeyRegistry(keys);
        var urls = ListenAddresses.Configured(configuration);
        if (urls.Count == 0) builder.WebHost.UseUrls(ListenAddresses.Default);
        if (ListenAddresses.Refusal(urls, registry.Enabled) is { } refusal) return refusal;

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = JsonBody.MaxBytes;
            kestrel.AddServerHeader = false;
        });
        var services = builder.Services;
        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            if (context.HttpContext.Items[CorrelationId.Header] is string correlation)
            {
                context.ProblemDetails.Extensions["correlation_id"] = correlation;
            }
        });
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
            o.SerializerOptions.Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;
        });
        services.AddOpenApi();

        services.AddSingleton(registry);
        if (registry.Enabled)
        {
            // Only with keys: registered, ASP.NET Core would run authentication and authorization on every request
            // even where this pipeline does not add them.
            services.AddAuthentication(ApiKeyAuthenticationHandler.SchemeName)
                .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyAuthenticationHandler.SchemeName, null);
            services.AddSingleton<IAuthorizationHandler, ScopeAuthorizationHandler>();
            services.AddAuthorizationBuilder()
                .SetFallbackPolicy(new AuthorizationPolicyBuilder(ApiKeyAuthenticationHandler.SchemeName).AddRequirements(new ScopeRequirement()).Build());
        }

        var rateLimits = ClientRateLimits.From(configuration);
        if (rateLimits.Enabled) services.AddSingleton(new ClientRateLimits(rateLimits));
        var timeout = RequestDeadline.Of(configuration);
        if (timeout > TimeSpan.Zero) services.AddSingleton(new DeadlineClock(timeout));
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            // Only the proxies named in configuration are believed (none by default, loopback included).
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in configuration.GetSection("InMemoryDb:ForwardedHeaders:KnownProxies").Get<string[]>() ?? [])
            {
                o.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                    ? address
                    : throw new InvalidOperationException($"InMemoryDb:ForwardedHeaders:KnownProxies holds '{proxy}', which is not an IP address."));
            }
        });
        return null;
    }

    /// <summary>The middleware, in order, and the routes.</summary>
    public static WebApplication UseInMemoryDbHttp(this WebApplication app)
    {
        if (app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value.KnownProxies.Count > 0) app.UseForwardedHeaders();
        app.UseCorrelationId();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSwaggerUI(ui =>
        {
            ui.RoutePrefix = "docs";
            ui.SwaggerEndpoint("/openapi/v1.json", "InMemoryDb");
            ui.DocumentTitle = "InMemoryDb API";
        });
        app.UseRouting();
        var registry = app.Services.GetRequiredService<ApiKeyRegistry>();
        if (registry.Enabled)
        {
            // Without keys every request passes: the open, loopback-only mode does not pay for the evaluation.
            app.UseAuthentication();
            app.UseAuthorization();
        }
        if (app.Services.GetService<ClientRateLimits>() is { } rateLimits) app.UseClientRateLimits(rateLimits);
        app.UseJsonRequestBodies();

        app.MapOpenApi().AllowAnonymous().WithHead();
        var routes = app.MapGroup("").WithHead();
        if (app.Services.GetService<DeadlineClock>() is { } clock) routes.WithRequestDeadline(clock);
        routes.MapTablesApi();
        routes.MapPessoasApi();
        routes.MapEventsApi();
        routes.MapKeyValueApi();
        routes.MapHealthApi();
        routes.MapQuestionsApi();
        routes.MapStreamingApi();

        if (!registry.Enabled)
        {
            app.Logger.LogWarning("No API key is configured: every route is open to whoever reaches this process, so it listens on loopback only " +
                                  "(set InMemoryDb:Auth:Keys to serve other hosts; see docs/operations/security.md).");
        }
        return app;
    }
}
