using System.Net;
using System.Text.Json.Nodes;

namespace InMemoryDb.Tests.Api;

/// <summary>The Rinha de Backend 2023 Q3 API (seed 001) on the embedded API: every contest rule and error case.</summary>
[Collection(ApiCollection.Name)]
public sealed class PessoasApiTests(ApiFixture fixture)
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task CreateReturns201WithLocationAndThePersonReadableImmediately()
    {
        var apelido = PessoaClient.NewApelido();
        var response = await Client.PostPessoaAsync(PessoaClient.Body(apelido, "José Roberto", "2000-02-29", ["C#", "Node", "Oracle"]));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var location = response.Headers.Location!.OriginalString;
        Assert.StartsWith("/pessoas/", location);
        var id = location["/pessoas/".Length..];
        Assert.True(Guid.TryParseExact(id, "D", out _));
        Assert.Equal(id, (string)(await response.JsonAsync())["id"]!);

        var read = await Client.GetAsync(location);
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("application/json", read.Content.Headers.ContentType?.MediaType);
        var pessoa = await read.JsonAsync();
        Assert.Equal(["apelido", "id", "nascimento", "nome", "stack"], pessoa.AsObject().Select(p => p.Key).Order());
        Assert.Equal(id, (string)pessoa["id"]!);
        Assert.Equal(apelido, (string)pessoa["apelido"]!);
        Assert.Equal("José Roberto", (string)pessoa["nome"]!);
        Assert.Equal("2000-02-29", (string)pessoa["nascimento"]!);
        Assert.Equal(["C#", "Node", "Oracle"], pessoa["stack"]!.AsArray().Select(s => (string)s!));
    }

    [Theory]
    [InlineData("""{"apelido": "APELIDO", "nome": "Sem Stack", "nascimento": "1985-01-01", "stack": null}""")]
    [InlineData("""{"apelido": "APELIDO", "nome": "Sem Stack", "nascimento": "1985-01-01"}""")]
    [InlineData("""{"apelido": "APELIDO", "nome": "Stack Vazia", "nascimento": "1985-01-01", "stack": []}""")]
    [InlineData("""{"apelido": "APELIDO", "nome": "Campo Extra", "nascimento": "1985-01-01", "idade": 40}""")]
    [InlineData("""{"apelido": "APELIDO", "nome": "Limites", "nascimento": "0001-01-01", "stack": ["12345678901234567890123456789012", "x"]}""")]
    public async Task ValidBodiesAreCreated(string template)
    {
        var apelido = PessoaClient.NewApelido();
        var location = await Client.CreatePessoaAsync(template.Replace("APELIDO", apelido));
        var pessoa = await (await Client.GetAsync(location)).JsonAsync();
        Assert.Equal(apelido, (string)pessoa["apelido"]!);
        Assert.True(pessoa.AsObject().ContainsKey("stack"));
    }

    [Fact]
    public async Task LimitsCountCharactersNotBytes()
    {
        var apelido = PessoaClient.NewApelido("ç")[..12] + new string('é', 20);
        Assert.Equal(32, apelido.Length);
        await Client.CreatePessoaAsync(PessoaClient.Body(apelido, new string('ã', 100), stack: [new string('ü', 32)]));
    }

    [Theory]
    [InlineData("35-letter apelido", """{"apelido": "abcdefghijklmnopqrstuvwxyzabcdefghi", "nome": "N", "nascimento": "2000-01-01", "stack": null}""")]
    [InlineData("empty apelido", """{"apelido": "", "nome": "N", "nascimento": "2000-01-01", "stack": null}""")]
    [InlineData("null apelido", """{"apelido": null, "nome": "N", "nascimento": "2000-01-01", "stack": null}""")]
    [InlineData("missing apelido", """{"nome": "N", "nascimento": "2000-01-01", "stack": null}""")]
    [InlineData("120-char nome", """{"apelido": "APELIDO", "nome": "NOME120", "nascimento": "2000-01-01", "stack": null}""")]
    [InlineData("empty nome", """{"apelido": "APELIDO", "nome": "", "nascimento": "2000-01-01", "stack": null}""")]
    [InlineData("null nome", """{"apelido": "APELIDO", "nome": null, "nascimento": "2000-01-01", "stack": null}""")]
    [InlineData("missing nome", """{"apelido": "APELIDO", "nascimento": "2000-01-01"}""")]
    [InlineData("nascimento 10", """{"apelido": "APELIDO", "nome": "N", "nascimento": "10", "stack": null}""")]
    [InlineData("double-encoded nascimento", """{"apelido": "APELIDO", "nome": "N", "nascimento": "\"2000-01-01\"", "stack": null}""")]
    [InlineData("month 13", """{"apelido": "APELIDO", "nome": "N", "nascimento": "2009-13-18", "stack": null}""")]
    [InlineData("30 February", """{"apelido": "APELIDO", "nome": "N", "nascimento": "2001-02-30", "stack": null}""")]
    [InlineData("29 February of a common year", """{"apelido": "APELIDO", "nome": "N", "nascimento": "1900-02-29", "stack": null}""")]
    [InlineData("day first", """{"apelido": "APELIDO", "nome": "N", "nascimento": "18-12-2009", "stack": null}""")]
    [InlineData("null as a string", """{"apelido": "APELIDO", "nome": "N", "nascimento": "null", "stack": null}""")]
    [InlineData("not a date", """{"apelido": "APELIDO", "nome": "N", "nascimento": "?!?!?", "stack": null}""")]
    [InlineData("null nascimento", """{"apelido": "APELIDO", "nome": "N", "nascimento": null, "stack": null}""")]
    [InlineData("missing nascimento", """{"apelido": "APELIDO", "nome": "N"}""")]
    [InlineData("40-char stack element", """{"apelido": "APELIDO", "nome": "N", "nascimento": "2000-01-01", "stack": ["1111111111111111111111111111111111111111"]}""")]
    [InlineData("empty stack element", """{"apelido": "APELIDO", "nome": "N", "nascimento": "2000-01-01", "stack": ["C#", ""]}""")]
    public async Task SemanticallyInvalidBodiesGive422AndCreateNobody(string kind, string template)
    {
        var apelido = PessoaClient.NewApelido();
        var body = template.Replace("APELIDO", apelido).Replace("NOME120", new string('n', 120));
        var response = await Client.PostPessoaAsync(body);
        var problem = await response.AssertProblemAsync(422);
        Assert.NotNull(problem["errors"]);
        Assert.True(problem["errors"]!.AsObject().Count > 0, kind);
        Assert.Empty(await Client.SearchAsync(apelido));
    }

    [Theory]
    [InlineData("stack is a string", """{"apelido": "APELIDO", "nome": "N", "nascimento": "2000-01-01", "stack": "string"}""")]
    [InlineData("stack is a number", """{"apelido": "APELIDO", "nome": "N", "nascimento": "2000-01-01", "stack": 1}""")]
    [InlineData("stack holds a number", """{"apelido": "APELIDO", "nome": "N", "nascimento": "2000-01-01", "stack": [1, "PHP"]}""")]
    [InlineData("stack holds null", """{"apelido": "APELIDO", "nome": "N", "nascimento": "2000-01-01", "stack": [null]}""")]
    [InlineData("stack is an object", """{"apelido": "APELIDO", "nome": "N", "nascimento": "2000-01-01", "stack": {"a": "b"}}""")]
    [InlineData("nome is a number", """{"apelido": "APELIDO", "nome": 1, "nascimento": "2000-01-01", "stack": null}""")]
    [InlineData("apelido is a number", """{"apelido": 123, "nome": "N", "nascimento": "2000-01-01", "stack": null}""")]
    [InlineData("nascimento is a number", """{"apelido": "APELIDO", "nome": "N", "nascimento": 10, "stack": null}""")]
    [InlineData("nome is a boolean", """{"apelido": "APELIDO", "nome": true, "nascimento": "2000-01-01"}""")]
    [InlineData("apelido is an array", """{"apelido": ["APELIDO"], "nome": "N", "nascimento": "2000-01-01"}""")]
    [InlineData("truncated JSON", """{"apelido": "APELIDO", "nome": "N", "nascimento": "2000-01-01",""")]
    [InlineData("not JSON", """apelido=APELIDO&nome=N""")]
    [InlineData("trailing garbage", """{"apelido": "APELIDO", "nome": "N", "nascimento": "2000-01-01"} x""")]
    [InlineData("an array body", """[{"apelido": "APELIDO", "nome": "N", "nascimento": "2000-01-01"}]""")]
    [InlineData("a string body", "\"APELIDO\"")]
    [InlineData("empty body", "")]
    public async Task SyntacticallyInvalidBodiesGive400AndCreateNobody(string kind, string template)
    {
        var apelido = PessoaClient.NewApelido();
        var response = await Client.PostPessoaAsync(template.Replace("APELIDO", apelido));
        var problem = await response.AssertProblemAsync(400);
        Assert.False(string.IsNullOrEmpty((string?)problem["detail"]), kind);
        Assert.Empty(await Client.SearchAsync(apelido));
    }

    [Fact]
    public async Task DuplicateApelidoGives422AndKeepsTheFirstPerson()
    {
        var apelido = PessoaClient.NewApelido();
        var location = await Client.CreatePessoaAsync(PessoaClient.Body(apelido, "Primeiro"));
        var again = await Client.PostPessoaAsync(PessoaClient.Body(apelido, "Segundo", "1970-01-01", ["Go"]));
        var problem = await again.AssertProblemAsync(422);
        Assert.NotNull(problem["errors"]!["apelido"]);
        Assert.Equal("Primeiro", (string)(await (await Client.GetAsync(location)).JsonAsync())["nome"]!);
        Assert.Single(await Client.SearchAsync(apelido));
    }

    [Fact]
    public async Task ConcurrentCreatesWithOneApelidoGiveExactlyOne201()
    {
        var apelido = PessoaClient.NewApelido();
        var responses = await Task.WhenAll(Enumerable.Range(0, 24).Select(i => Client.PostPessoaAsync(PessoaClient.Body(apelido, $"Concorrente {i}"))));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.Equal(23, responses.Count(r => r.StatusCode == HttpStatusCode.UnprocessableEntity));
        Assert.Single(await Client.SearchAsync(apelido));
    }

    [Fact]
    public async Task GetOfAnUnknownOrMalformedIdGives404()
    {
        await (await Client.GetAsync($"/pessoas/{Guid.NewGuid()}")).AssertProblemAsync(404);
        await (await Client.GetAsync("/pessoas/not-a-uuid")).AssertProblemAsync(404);
    }

    [Fact]
    public async Task SearchMatchesApelidoNomeOrStackCaseInsensitively()
    {
        var token = Guid.NewGuid().ToString("N")[..10];
        var byStack = await Client.CreatePessoaAsync(PessoaClient.Body("s" + token, "Ana", stack: ["Node", "Postgres"]));
        var byNome = await Client.CreatePessoaAsync(PessoaClient.Body("n" + token, "José Roberto " + token.ToUpperInvariant()));
        var byApelido = await Client.CreatePessoaAsync(PessoaClient.Body("A" + token.ToUpperInvariant() + "x", "Maria"));

        var ids = async (string term) => (await Client.SearchAsync(term)).Select(p => "/pessoas/" + (string)p!["id"]!).Order().ToArray();
        Assert.Equal(new[] { byStack, byNome, byApelido }.Order(), await ids(token));
        Assert.Equal(new[] { byStack, byNome, byApelido }.Order(), await ids(token.ToUpperInvariant()));
        Assert.Equal([byApelido], await ids("a" + token + "X"));
        Assert.Contains(byStack, await ids("node"));
        Assert.Contains(byNome, await ids("berto"));
        Assert.Contains(byNome, await ids("josé r"));

        var person = (await Client.SearchAsync("s" + token)).Single()!;
        Assert.Equal(["apelido", "id", "nascimento", "nome", "stack"], person.AsObject().Select(p => p.Key).Order());
    }

    [Fact]
    public async Task SearchNeverMatchesAcrossFieldsAndReturnsEmptyArrayWhenNothingMatches()
    {
        var token = Guid.NewGuid().ToString("N")[..12];
        await Client.CreatePessoaAsync(PessoaClient.Body("x" + token, "yy" + token, stack: ["zz" + token]));
        Assert.Empty(await Client.SearchAsync(token + "yy"));
        Assert.Empty(await Client.SearchAsync(token + "zz"));
        Assert.Empty(await Client.SearchAsync("no-one-" + Guid.NewGuid().ToString("N")));
        Assert.Empty(await Client.SearchAsync(new string('q', 500)));
        var empty = await Client.GetAsync("/pessoas?t=" + Guid.NewGuid().ToString("N"));
        Assert.Equal("[]", await empty.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SearchReturnsAtMost50People()
    {
        var token = "cap" + Guid.NewGuid().ToString("N")[..8];
        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Client.CreatePessoaAsync(PessoaClient.Body($"{token}{i}", "Muitos"))));
        Assert.Equal(50, (await Client.SearchAsync(token)).Count);
        Assert.Equal(11, (await Client.SearchAsync(token + "5")).Count);
    }

    [Theory]
    [InlineData("/pessoas")]
    [InlineData("/pessoas?t=")]
    public async Task SearchWithoutTermGives400(string url)
        => await (await Client.GetAsync(url)).AssertProblemAsync(400);

    [Fact]
    public async Task CountIsExactRightAfterCreates()
    {
        var before = await Client.CountAsync();
        for (var i = 0; i < 5; i++) await Client.CreatePessoaAsync(PessoaClient.Body(PessoaClient.NewApelido()));
        await Client.PostPessoaAsync(PessoaClient.Body(PessoaClient.NewApelido(), nascimento: "2000-13-01"));
        Assert.Equal(before + 5, await Client.CountAsync());
    }
}
