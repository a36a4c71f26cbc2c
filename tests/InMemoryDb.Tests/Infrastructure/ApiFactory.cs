using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace InMemoryDb.Tests.Infrastructure;

/// <summary>
/// Hosts the API with its co-hosted silo on free ports. Without a connection string it is the embedded
/// default (memory); with one, it is the persistent single node on the test PostgreSQL.
/// </summary>
public sealed class ApiFactory(
    string? postgres = null, string? serviceId = null, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    : WebApplicationFactory<Program>
{
    /// <summary>The Orleans service id the data is stored under.</summary>
    public string ServiceId { get; } = serviceId ?? "test-" + Guid.NewGuid().ToString("N")[..12];

    /// <inheritdoc />
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        if (settings?.ContainsKey("Orleans:GatewayPort") != true)
        {
            builder.UseSetting("Orleans:SiloPort", TestPorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Orleans:GatewayPort", TestPorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture));
            builder.UseSetting("Orleans:ClusterId", "test-" + Guid.NewGuid().ToString("N")[..12]);
        }
        builder.UseSetting("Orleans:ServiceId", ServiceId);
        builder.UseSetting("InMemoryDb:Passwords:Iterations", "1000");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Orleans", "Error");
        if (postgres is not null) builder.UseSetting("ConnectionStrings:Postgres", postgres);
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }
        if (services is not null) builder.ConfigureTestServices(services);
    }
}
