using Microsoft.Extensions.Configuration;
using System.Net;
using System.Net.Http.Headers;
using InMemoryDb.Api.Security;

namespace InMemoryDb.Tests.Api;

/// <summary>One API with keys of each scope configured (the embedded node).</summary>
public sealed class SecuredApiFixture : IAsyncLifetime
{
    /// <summary>The keys (test values only).</summary>
    public const string ReadKey = "reader-key-0123456789", WriteKey = "writer-key-0123456789", AdminKey = "admin-key-0123456789ab";

    /// <summary>The hosted API.</summary>
    public ApiFactory Factory { get; } = new(settings: new Dictionary<string, string?>
    {
        ["InMemoryDb:Auth:Keys:reader:Key"] = ReadKey,
        ["InMemoryDb:Auth:Keys:reader:Scope"] = "read",
        ["InMemoryDb:Auth:Keys:writer:Key"] = WriteKey,
        ["InMemoryDb:Auth:Keys:writer:Scope"] = "write",
        // Configured by hash: the configuration need not hold the key.
        ["InMemoryDb:Auth:Keys:admin:Sha256"] = ApiKeyOptions.Hash(AdminKey),
        ["InMemoryDb:Auth:Keys:admin:Scope"] = "admin",
    });

    /// <summary>A client sending <paramref name="key"/> (none when null).</summary>
    public HttpClient Client(string? key)
    {
        var client = Factory.CreateClient();
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <inheritdoc />
    public Task InitializeAsync() => Task.CompletedTask;

    /// <inheritdoc />
    public async Task DisposeAsync() => await Factory.DisposeAsync();
}

/// <summary>API keys and scopes: health open, reads need read, single-entity writes need write, bulk and log need admin.</summary>
public sealed class SecurityApiTests(SecuredApiFixture fixture) : IClassFixture<SecuredApiFixture>
{
    [Fact]
    public async Task HealthAndTheApiDescriptionAreOpen()
    {
        var anonymous = fixture.Client(null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
    }

    [Theory]
    [InlineData("GET", "/api/v1/tables")]
    [InlineData("GET", "/api/v1/events")]
    [InlineData("GET", "/questions")]
    [InlineData("GET", "/pessoas?t=a")]
    [InlineData("DELETE", "/answers")]
    [InlineData("GET", "/no/such/route")]
    public async Task WithoutAKeyEveryOtherRouteIs401(string method, string path)
    {
        var response = await fixture.Client(null).SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        await response.AssertProblemAsync(401);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
    }

    [Fact]
    public async Task AWrongKeyIs401()
    {
        await (await fixture.Client("not-a-configured-key-at-all").GetAsync("/api/v1/tables")).AssertProblemAsync(401);
        await (await fixture.Client(SecuredApiFixture.ReadKey + "x").GetAsync("/api/v1/tables")).AssertProblemAsync(401);
    }

    [Fact]
    public async Task ReadKeysReadButDoNotWrite()
    {
        var reader = fixture.Client(SecuredApiFixture.ReadKey);
        Assert.Equal(HttpStatusCode.OK, (await reader.GetAsync("/api/v1/tables")).StatusCode);
        var table = Http.NewTable();
        await (await reader.PostAsync($"/api/v1/data/{table}", Http.Data(new { a = 1 }))).AssertProblemAsync(403);
        await (await reader.PutAsync("/api", Http.Json("""{"key":"k","value":"v"}"""))).AssertProblemAsync(403);
        // Nothing was written.
        await (await fixture.Client(SecuredApiFixture.AdminKey).GetAsync($"/api/v1/dump/{table}")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task WriteKeysWriteEntitiesButNotInBulkNorReadTheLog()
    {
        var writer = fixture.Client(SecuredApiFixture.WriteKey);
        var table = Http.NewTable();
        Assert.Equal(HttpStatusCode.Created, (await writer.PostAsync($"/api/v1/data/{table}", Http.Data(new { a = 1 }))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await writer.GetAsync($"/api/v1/dump/{table}")).StatusCode);
        await (await writer.DeleteAsync("/questions")).AssertProblemAsync(403);
        await (await writer.DeleteAsync("/answers")).AssertProblemAsync(403);
        await (await writer.GetAsync("/api/v1/events")).AssertProblemAsync(403);
    }

    [Fact]
    public async Task AdminKeysDoEverythingAndTheKeyMayComeInXApiKey()
    {
        var admin = fixture.Factory.CreateClient();
        admin.DefaultRequestHeaders.Add("X-Api-Key", SecuredApiFixture.AdminKey);
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/events?limit=1")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.DeleteAsync("/answers")).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsync($"/api/v1/data/{Http.NewTable()}", Http.Data(new { a = 1 }))).StatusCode);
    }

    [Fact]
    public async Task ABodyLessWriteWithAWriteKeyIsNotRefusedForItsMissingContentType()
    {
        // Seed 002's clients POST with query parameters and no body: such a request is not 415 (here: 400, no body).
        var response = await fixture.Client(SecuredApiFixture.WriteKey).PostAsync($"/api/v1/data/{Http.NewTable()}", null);
        await response.AssertProblemAsync(400);
    }
}

/// <summary>The parts of the security rules that need no server.</summary>
public sealed class SecurityRulesTests
{
    [Theory]
    [InlineData("http://localhost:8080", true)]
    [InlineData("http://127.0.0.1:8080", true)]
    [InlineData("http://127.8.9.10:1", true)]
    [InlineData("http://[::1]:8080", true)]
    [InlineData("https://LOCALHOST:443/", true)]
    [InlineData("http://0.0.0.0:8080", false)]
    [InlineData("http://*:8080", false)]
    [InlineData("http://+:8080", false)]
    [InlineData("http://[::]:8080", false)]
    [InlineData("http://10.0.0.5:8080", false)]
    [InlineData("http://example.com:8080", false)]
    public void LoopbackAddressesAreRecognised(string url, bool loopback) => Assert.Equal(loopback, ListenAddresses.IsLoopback(url));

    [Fact]
    public void WithoutKeysOnlyLoopbackMayBeServed()
    {
        Assert.Null(ListenAddresses.Refusal(["http://127.0.0.1:1", "http://localhost:2"], keysConfigured: false));
        Assert.Null(ListenAddresses.Refusal([], keysConfigured: false));
        var refusal = ListenAddresses.Refusal(["http://127.0.0.1:1", "http://0.0.0.0:2"], keysConfigured: false);
        Assert.Contains("http://0.0.0.0:2", refusal);
        Assert.Contains("InMemoryDb__Auth__Keys__", refusal);
        Assert.Null(ListenAddresses.Refusal(["http://0.0.0.0:2"], keysConfigured: true));
    }

    [Fact]
    public void PortsAloneAndKestrelEndpointsCount()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:1;http://localhost:2",
            ["http_ports"] = "8080",
            ["Kestrel:Endpoints:Main:Url"] = "http://10.1.2.3:9",
        }).Build();
        var urls = ListenAddresses.Configured(configuration);
        Assert.Equal(["http://127.0.0.1:1", "http://localhost:2", "http://*:8080", "http://10.1.2.3:9"], urls);
    }

    [Fact]
    public void KeysAreCheckedAtStart()
    {
        static ApiKeyOptions One(string? key, string? scope, string? sha = null)
            => new() { Keys = { ["k"] = new ApiKeyEntry { Key = key, Scope = scope, Sha256 = sha } } };
        Assert.Contains("Scope", Assert.Throws<InvalidOperationException>(() => One("0123456789abcdef", "root").ByHash()).Message);
        Assert.Contains("16", Assert.Throws<InvalidOperationException>(() => One("short", "read").ByHash()).Message);
        Assert.Contains("Sha256", Assert.Throws<InvalidOperationException>(() => One(null, "read", "xyz").ByHash()).Message);
        var registry = new ApiKeyRegistry(One("0123456789abcdef", "write"));
        Assert.Equal(("k", "write"), registry.Find("0123456789abcdef"));
        Assert.Null(registry.Find("0123456789abcdeF"));
    }
}
