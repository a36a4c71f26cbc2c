using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InMemoryDb.Tests.Infrastructure;

/// <summary>Helpers for the people API tests.</summary>
public static class PessoaClient
{
    /// <summary>An apelido no other test uses (at most 32 characters).</summary>
    public static string NewApelido(string prefix = "p") => prefix + Guid.NewGuid().ToString("N")[..20];

    /// <summary>A valid body for <paramref name="apelido"/>.</summary>
    public static string Body(string apelido, string nome = "Fulano de Tal", string nascimento = "1990-05-17", string[]? stack = null)
        => JsonSerializer.Serialize(new { apelido, nome, nascimento, stack });

    /// <summary>POSTs a raw body to /pessoas.</summary>
    public static Task<HttpResponseMessage> PostPessoaAsync(this HttpClient client, string json)
        => client.PostAsync("/pessoas", Http.Json(json));

    /// <summary>Creates a person and returns its Location (asserting 201).</summary>
    public static async Task<string> CreatePessoaAsync(this HttpClient client, string json)
    {
        var response = await client.PostPessoaAsync(json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, $"POST /pessoas gave {(int)response.StatusCode}: {body}");
        return response.Headers.Location!.OriginalString;
    }

    /// <summary>The people a search returns (asserting 200).</summary>
    public static async Task<JsonArray> SearchAsync(this HttpClient client, string term)
    {
        var response = await client.GetAsync("/pessoas?t=" + Uri.EscapeDataString(term));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.JsonAsync()).AsArray();
    }

    /// <summary>The count /contagem-pessoas answers.</summary>
    public static async Task<long> CountAsync(this HttpClient client)
    {
        var response = await client.GetAsync("/contagem-pessoas");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return long.Parse(await response.Content.ReadAsStringAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
