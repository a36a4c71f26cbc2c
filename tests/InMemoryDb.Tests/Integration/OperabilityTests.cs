using System.Net;
using InMemoryDb.Silo.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace InMemoryDb.Tests.Integration;

/// <summary>Health reflects storage, and the API works as a pure Orleans client of a separate silo.</summary>
public sealed class OperabilityTests
{
    [Fact]
    public async Task HealthIsUnavailableWhenPostgresIsUnreachable()
    {
        var real = new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres);
        await using var proxy = new TcpProxy(real.Host!, real.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres) { Port = proxy.Port, Timeout = 2 }.ConnectionString;
        await using var factory = new ApiFactory(viaProxy);
        var client = factory.CreateClient();
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health")).StatusCode);

        proxy.Cut();
        var problem = await (await client.GetAsync("/health")).AssertProblemAsync(503);
        Assert.Contains("Storage is not reachable", (string)problem["detail"]!);
        await (await client.PostAsync($"/api/v1/data/{Http.NewTable()}", Http.Data(new { a = 1 }))).AssertProblemAsync(503);
    }

    [Fact]
    public async Task ApiRunsAsAClientOfASeparateSilo()
    {
        var siloPort = TestPorts.Next();
        var gatewayPort = TestPorts.Next();
        var settings = new Dictionary<string, string?>
        {
            ["Orleans:SiloPort"] = siloPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:GatewayPort"] = gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Orleans:ClusterId"] = "client-test-" + Guid.NewGuid().ToString("N")[..8],
            ["Orleans:ServiceId"] = "client-test-" + Guid.NewGuid().ToString("N")[..8],
            ["ConnectionStrings:Postgres"] = TestEnvironment.Postgres,
            ["InMemoryDb:Passwords:Iterations"] = "1000",
        };
        var siloBuilder = Host.CreateApplicationBuilder();
        siloBuilder.Configuration.AddInMemoryCollection(settings);
        siloBuilder.Logging.SetMinimumLevel(LogLevel.Warning);
        siloBuilder.UseOrleans(silo => silo.AddInMemoryDb(siloBuilder.Configuration));
        using var silo = siloBuilder.Build();
        await silo.StartAsync();
        try
        {
            await using var api = new ApiFactory(settings: new Dictionary<string, string?>(settings) { ["InMemoryDb:Mode"] = "client", ["ConnectionStrings:Postgres"] = null },
                serviceId: settings["Orleans:ServiceId"]);
            var client = api.CreateClient();
            var user = await client.CreateUserAsync();
            var order = await client.CreateAsync("orders", new { product_name = "W", quantity = 1, total_price = 2.5, user_id = (string)user["id"]! });
            Assert.Equal((string)user["id"]!, (string)order["data"]!["user_id"]!);
            await (await client.PostAsync("/api/v1/data/users", Http.Data(new { email = "bad" }))).AssertProblemAsync(422);
            var join = (await (await client.GetAsync("/api/v1/join/users/orders/user_id")).JsonAsync()).AsArray();
            Assert.Single(join);
            var health = await (await client.GetAsync("/health")).JsonAsync();
            Assert.Equal(("ready", "postgres"), ((string)health["status"]!, (string)health["storage"]!));
        }
        finally
        {
            await silo.StopAsync();
        }
    }
}
