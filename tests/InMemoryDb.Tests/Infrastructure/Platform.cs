using System.Net;
using System.Text.Json.Nodes;

namespace InMemoryDb.Tests.Infrastructure;

/// <summary>Helpers for the streaming platform's routes.</summary>
public static class Platform
{
    /// <summary>Sends a request and asserts a 200 platform reply (<c>status: success</c>, a correlation id and its status URL); returns the body.</summary>
    public static async Task<JsonNode> OkAsync(this HttpClient client, HttpMethod method, string url, HttpContent? content = null, params (string Name, string Value)[] headers)
    {
        var response = await client.SendAsync(method, url, content, headers);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{method} {url} gave {(int)response.StatusCode}: {body}");
        var reply = JsonNode.Parse(body)!;
        Assert.Equal("success", (string)reply["status"]!);
        var id = (string)reply["correlation_id"]!;
        Assert.True(Guid.TryParse(id, out _), $"correlation_id '{id}' is not a UUID");
        Assert.Equal("/status/" + id, (string)reply["status_url"]!);
        Assert.False(string.IsNullOrEmpty((string?)reply["mensagem"]));
        return reply;
    }

    /// <summary>Creates a user with generated fields; returns the user object.</summary>
    public static async Task<JsonNode> NewUserAsync(this HttpClient client, string query = "")
        => (await client.OkAsync(HttpMethod.Post, "/usuarios" + query))["usuario"]!;

    /// <summary>The user id of a user object.</summary>
    public static long Id(this JsonNode usuario) => (long)usuario["user_id"]!;

    /// <summary>Every event of the log (paging through it) that <paramref name="match"/> accepts.</summary>
    public static async Task<List<JsonNode>> AllEventsAsync(this HttpClient client, Func<JsonNode, bool> match)
    {
        var found = new List<JsonNode>();
        long after = 0;
        while (true)
        {
            var page = (await (await client.GetAsync($"/api/v1/events?after={after}&limit=1000")).JsonAsync()).AsArray();
            if (page.Count == 0) return found;
            found.AddRange(page.Select(e => e!).Where(match));
            after = (long)page[^1]!["position"]!;
        }
    }

    /// <summary>The platform's events about <paramref name="entity"/> <paramref name="key"/> (method, in log order).</summary>
    public static async Task<List<string>> EventMethodsAsync(this HttpClient client, string entity, string key)
        => (await client.AllEventsAsync(e => (string)e["entity"]! == entity && (string)e["key"]! == key)).Select(e => (string)e["method"]!).ToList();

    /// <summary>A valid CPF (11 digits, right check digits) different on every call.</summary>
    public static string NewCpf()
    {
        var digits = new int[11];
        do
        {
            for (var i = 0; i < 9; i++) digits[i] = Random.Shared.Next(10);
        }
        while (digits.Take(9).Distinct().Count() == 1);
        for (var n = 9; n <= 10; n++)
        {
            var sum = 0;
            for (var i = 0; i < n; i++) sum += digits[i] * (n + 1 - i);
            var rest = sum % 11;
            digits[n] = rest < 2 ? 0 : 11 - rest;
        }
        return string.Concat(digits);
    }
}
