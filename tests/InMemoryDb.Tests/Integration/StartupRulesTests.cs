using InMemoryDb.Tests.Infrastructure.Processes;

namespace InMemoryDb.Tests.Integration;

/// <summary>
/// The built API as a process: it refuses to serve beyond loopback without an API key (it never binds: the check runs
/// first), and behind a known proxy it limits each client by the address the proxy names.
/// </summary>
public sealed class StartupRulesTests
{
    [Fact]
    public async Task BehindAKnownProxyEachForwardedClientHasItsOwnRateLimit()
    {
        static async Task<int[]> Statuses(SingleNode node, string? forwardedFor, int count)
        {
            var statuses = new int[count];
            for (var i = 0; i < count; i++)
            {
                var answer = await RawHttp.SendAsync(node.Address, "GET", "/api/v1/tables", headers: forwardedFor is null ? [] : [("X-Forwarded-For", forwardedFor)]);
                statuses[i] = answer.Status;
            }
            return statuses;
        }

        var limits = new Dictionary<string, string?> { ["InMemoryDb__RateLimits__PermitsPerSecond"] = "1", ["InMemoryDb__RateLimits__Burst"] = "2" };
        await using (var trusting = await SingleNode.StartAsync(postgres: null, settings: new Dictionary<string, string?>(limits) { ["InMemoryDb__ForwardedHeaders__KnownProxies__0"] = "127.0.0.1" }))
        {
            Assert.Contains(429, await Statuses(trusting, "10.0.0.1", 4));
            Assert.Equal(new[] { 200, 200 }, await Statuses(trusting, "10.0.0.2", 2));
        }
        await using (var untrusting = await SingleNode.StartAsync(postgres: null, settings: limits))
        {
            // Without a known proxy the header is not believed: both "clients" are this process's one address.
            Assert.Contains(429, await Statuses(untrusting, "10.0.0.1", 4));
            Assert.Equal(429, (await Statuses(untrusting, "10.0.0.2", 1))[0]);
        }
    }

    [Theory]
    [InlineData("Urls", "http://0.0.0.0:18080")]
    [InlineData("ASPNETCORE_URLS", "http://+:18080")]
    [InlineData("ASPNETCORE_HTTP_PORTS", "18080")]
    public async Task WithoutAKeyTheApiRefusesToListenBeyondLoopback(string setting, string value)
    {
        await using var api = ServiceProcess.Start("api", BuiltBinaries.DotnetHost, [BuiltBinaries.Api], Path.GetDirectoryName(BuiltBinaries.Api)!,
            new Dictionary<string, string?> { [setting] = value, ["Orleans__SiloPort"] = TestPorts.Next().ToString(), ["Orleans__GatewayPort"] = TestPorts.Next().ToString() });
        Assert.Equal(2, await api.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.Contains("Refusing to start", api.RecentOutput());
        Assert.Contains("InMemoryDb__Auth__Keys__", api.RecentOutput());
    }

    [Fact]
    public async Task WithAKeyItStartsAndAsksForTheKey()
    {
        await using var node = await SingleNode.StartAsync(postgres: null, settings: new Dictionary<string, string?>
        {
            ["InMemoryDb__Auth__Keys__ops__Key"] = "a-test-key-0123456789",
            ["InMemoryDb__Auth__Keys__ops__Scope"] = "admin",
        });
        using var client = node.Client();
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await client.GetAsync("/api/v1/tables")).StatusCode);
        client.DefaultRequestHeaders.Add("X-Api-Key", "a-test-key-0123456789");
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync("/api/v1/tables")).StatusCode);
        var answer = await RawHttp.SendAsync(node.Address, "GET", "/health");
        Assert.Null(answer.Header("server"));
        Assert.Equal("nosniff", answer.Header("x-content-type-options"));
    }
}
