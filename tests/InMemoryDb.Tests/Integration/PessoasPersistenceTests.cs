using System.Net;
using System.Text.Json.Nodes;

namespace InMemoryDb.Tests.Integration;

/// <summary>People on the persistent single node (real PostgreSQL): durable, unique and indexed across restarts.</summary>
public sealed class PessoasPersistenceTests
{
    [Fact]
    public async Task PeopleCountSearchUniquenessAndEventsSurviveRestart()
    {
        var serviceId = "pessoas-" + Guid.NewGuid().ToString("N")[..12];
        var token = Guid.NewGuid().ToString("N")[..10];
        var locations = new Dictionary<string, string>();

        await using (var first = new ApiFactory(TestEnvironment.Postgres, serviceId))
        {
            var client = first.CreateClient();
            for (var i = 0; i < 40; i++)
            {
                var apelido = $"{token}-{i}";
                locations[apelido] = await client.CreatePessoaAsync(PessoaClient.Body(apelido, $"Pessoa {i} Roberto", stack: i % 2 == 0 ? ["Node", "Rust"] : null));
            }
            await (await client.PostPessoaAsync(PessoaClient.Body($"{token}-0", "Duplicada"))).AssertProblemAsync(422);
            await (await client.PostPessoaAsync(PessoaClient.Body($"{token}-x", "Data ruim", "2000-02-30"))).AssertProblemAsync(422);
            Assert.Equal(40, await client.CountAsync());
            await Eventually.Poll(() => CreationEventsAsync(client), e => e.Length == 40);
        }

        await using var second = new ApiFactory(TestEnvironment.Postgres, serviceId);
        var again = second.CreateClient();

        // The index partitions were rebuilt from storage: exact count and search without touching person grains.
        Assert.Equal(40, await again.CountAsync());
        Assert.Equal(20, (await again.SearchAsync("node")).Count);
        Assert.Equal(40, (await again.SearchAsync(token)).Count);
        Assert.Single(await again.SearchAsync($"{token}-17"));

        // Every acknowledged person is there; a taken apelido stays taken (the person's grain was never activated since).
        foreach (var (apelido, location) in locations)
        {
            var pessoa = await (await again.GetAsync(location)).JsonAsync();
            Assert.Equal(apelido, (string)pessoa["apelido"]!);
        }
        await (await again.PostPessoaAsync(PessoaClient.Body($"{token}-33", "Duplicada"))).AssertProblemAsync(422);
        await (await again.PostPessoaAsync(PessoaClient.Body($"{token}-0", "Duplicada"))).AssertProblemAsync(422);
        await again.CreatePessoaAsync(PessoaClient.Body($"{token}-40", "Nova"));
        Assert.Equal(41, await again.CountAsync());

        // One creation event per person, none lost or repeated by the restart (stored outboxes are de-duplicated).
        var events = await Eventually.Poll(() => CreationEventsAsync(again), e => e.Length == 41);
        Assert.Equal(41, events.Select(e => (string)e["key"]!).Distinct().Count());
        var content = events.Select(e => e["content"]!).Single(c => (string)c["apelido"]! == $"{token}-2");
        Assert.Equal(["Node", "Rust"], content["stack"]!.AsArray().Select(s => (string)s!));
    }

    [Fact]
    public async Task ConcurrentDuplicatesOnPostgresGiveOne201BeforeAndAfterRestart()
    {
        var serviceId = "pessoas-" + Guid.NewGuid().ToString("N")[..12];
        var apelido = PessoaClient.NewApelido("dup");
        await using (var first = new ApiFactory(TestEnvironment.Postgres, serviceId))
        {
            var client = first.CreateClient();
            var responses = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => client.PostPessoaAsync(PessoaClient.Body(apelido, $"Corrida {i}"))));
            Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
            Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode));
        }

        await using var second = new ApiFactory(TestEnvironment.Postgres, serviceId);
        var again = second.CreateClient();
        var retries = await Task.WhenAll(Enumerable.Range(0, 16).Select(i => again.PostPessoaAsync(PessoaClient.Body(apelido, $"Depois {i}"))));
        Assert.All(retries, r => Assert.Equal(HttpStatusCode.UnprocessableEntity, r.StatusCode));
        Assert.Equal(1, await again.CountAsync());
        Assert.StartsWith("Corrida ", (string)(await again.SearchAsync(apelido)).Single()!["nome"]!);
    }

    private static async Task<JsonNode[]> CreationEventsAsync(HttpClient client)
        => (await (await client.GetAsync("/api/v1/events?limit=10000")).JsonAsync()).AsArray()
            .Select(e => e!).Where(e => (string)e["method"]! == "create_pessoa").ToArray();
}
