using System.Net;

namespace InMemoryDb.Tests.Api;

[Collection(ApiCollection.Name)]
public sealed class SchemaApiTests(ApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task UserIsCreatedWithoutItsPassword()
    {
        var response = await Client.PostAsync("/api/v1/data/users", Http.Data(new
        {
            email = $"john{Guid.NewGuid():N}@example.com", full_name = "John Doe", age = 30, password = "securepass123",
        }));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("password", text);
        Assert.DoesNotContain("securepass123", text);

        var events = await (await Client.GetAsync("/api/v1/events?limit=10000")).Content.ReadAsStringAsync();
        Assert.DoesNotContain("securepass123", events);
    }

    [Fact]
    public async Task InvalidUserIs422WithErrorsPerField()
    {
        var response = await Client.PostAsync("/api/v1/data/users", Http.Data(new { email = "nope", full_name = "", age = -1, password = "short" }));
        var problem = await response.AssertProblemAsync(422);
        Assert.Equal(["age", "email", "full_name", "password"], problem["errors"]!.AsObject().Select(p => p.Key).Order());
    }

    [Fact]
    public async Task DuplicateEmailIs409CaseInsensitively()
    {
        var email = $"dup{Guid.NewGuid():N}@example.com";
        await Client.CreateUserAsync(email);
        var response = await Client.PostAsync("/api/v1/data/users", Http.Data(new { email = email.ToUpperInvariant(), full_name = "B", password = "12345678" }));
        await response.AssertProblemAsync(409);
    }

    [Fact]
    public async Task UpdatingToATakenEmailIs409AndChangesNothing()
    {
        var taken = $"taken{Guid.NewGuid():N}@example.com";
        await Client.CreateUserAsync(taken);
        var other = await Client.CreateUserAsync();
        var id = (string)other["id"]!;
        await (await Client.PutAsync($"/api/v1/data/users/{id}", Http.Data(new { email = taken }))).AssertProblemAsync(409);
        Assert.Equal((string)other["data"]!["email"]!, (string)(await (await Client.GetAsync($"/api/v1/data/users/{id}")).JsonAsync())["data"]!["email"]!);
    }

    [Fact]
    public async Task InvalidUpdateIs422AndChangesNothing()
    {
        var user = await Client.CreateUserAsync();
        var id = (string)user["id"]!;
        await (await Client.PutAsync($"/api/v1/data/users/{id}", Http.Data(new { age = 200 }))).AssertProblemAsync(422);
        await (await Client.PutAsync($"/api/v1/data/users/{id}", Http.Data(new { password = "short" }))).AssertProblemAsync(422);
        var read = await (await Client.GetAsync($"/api/v1/data/users/{id}")).JsonAsync();
        Assert.Equal(1, (long)read["version"]!);
    }

    [Fact]
    public async Task OrderNeedsAnExistingUser()
    {
        var missing = await Client.PostAsync("/api/v1/data/orders", Http.Data(new { product_name = "Widget Pro", quantity = 2, total_price = 99.99, user_id = "no-such-user" }));
        var problem = await missing.AssertProblemAsync(422);
        Assert.NotNull(problem["errors"]!["user_id"]);

        var user = await Client.CreateUserAsync();
        var order = await Client.CreateAsync("orders", new { product_name = "Widget Pro", quantity = 2, total_price = 99.99, user_id = (string)user["id"]! });
        Assert.Equal(99.99, (double)order["data"]!["total_price"]!);
    }

    [Fact]
    public async Task InvalidOrderIs422()
    {
        var response = await Client.PostAsync("/api/v1/data/orders", Http.Data(new { product_name = "", quantity = 1.5, total_price = "free" }));
        var problem = await response.AssertProblemAsync(422);
        Assert.Equal(["product_name", "quantity", "total_price", "user_id"], problem["errors"]!.AsObject().Select(p => p.Key).Order());
    }
}
