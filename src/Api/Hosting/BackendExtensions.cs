using InMemoryDb.Silo.Hosting;

namespace InMemoryDb.Api.Hosting;

/// <summary>How the API reaches the grains: by co-hosting a silo (default) or as a client of a cluster.</summary>
public static class BackendExtensions
{
    /// <summary>
    /// <c>InMemoryDb:Mode</c> = <c>embedded</c> (default): this process runs a silo too.
    /// <c>client</c>: this process is an Orleans client of the silos' cluster.
    /// </summary>
    public static WebApplicationBuilder AddInMemoryDbBackend(this WebApplicationBuilder builder)
    {
        var mode = builder.Configuration["InMemoryDb:Mode"] ?? "embedded";
        if (mode.Equals("embedded", StringComparison.OrdinalIgnoreCase))
        {
            builder.UseOrleans(silo => silo.AddInMemoryDb(builder.Configuration));
        }
        else if (mode.Equals("client", StringComparison.OrdinalIgnoreCase))
        {
            builder.UseOrleansClient(client => client.AddInMemoryDbClient(builder.Configuration));
        }
        else
        {
            throw new InvalidOperationException($"InMemoryDb:Mode is '{mode}'; use 'embedded' (co-hosted silo) or 'client' (client of a cluster).");
        }
        return builder;
    }
}
