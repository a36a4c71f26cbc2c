using Microsoft.AspNetCore.Routing;

namespace InMemoryDb.Api.Http;

/// <summary>HEAD is answered wherever GET is (same status and headers; the server drops the body), as RFC 9110 asks.</summary>
public static class HeadRequests
{
    /// <summary>Adds HEAD to every GET endpoint of <paramref name="builder"/>.</summary>
    public static TBuilder WithHead<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder
    {
        builder.Finally(endpoint =>
        {
            var methods = endpoint.Metadata.OfType<IHttpMethodMetadata>().LastOrDefault();
            if (methods is null || !methods.HttpMethods.Contains(HttpMethods.Get) || methods.HttpMethods.Contains(HttpMethods.Head)) return;
            endpoint.Metadata.Add(new HttpMethodMetadata([.. methods.HttpMethods, HttpMethods.Head], methods.AcceptCorsPreflight));
        });
        return builder;
    }
}
