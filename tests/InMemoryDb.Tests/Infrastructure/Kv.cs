using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InMemoryDb.Tests.Infrastructure;

/// <summary>Calls of the key-value API (seed 003's routes) for tests.</summary>
public static class Kv
{
    /// <summary>The outcome of a put or delete: HTTP status, and on 200 the answered status and timestamp.</summary>
    public sealed record WriteAnswer(HttpStatusCode Code, string? Status, string? Timestamp, string Body);

    /// <summary>The outcome of a read: HTTP status, and on 200 the value and source.</summary>
    public sealed record ReadAnswer(HttpStatusCode Code, string? Value, string? Source, string Body);

    /// <summary><c>PUT /api</c>; <paramref name="timestamp"/> is sent as given (a string or a number) when not null.</summary>
    public static async Task<WriteAnswer> PutAsync(this HttpClient client, string key, string value, object? timestamp = null)
    {
        var body = new JsonObject { ["key"] = key, ["value"] = value };
        if (timestamp is not null) body["timestamp"] = JsonSerializer.SerializeToNode(timestamp);
        using var response = await client.PutAsync("/api", Http.Json(body.ToJsonString()));
        return await WriteAnswerAsync(response);
    }

    /// <summary><c>DELETE /api?key=</c> with an optional timestamp.</summary>
    public static async Task<WriteAnswer> DeleteKeyAsync(this HttpClient client, string key, string? timestamp = null)
    {
        var url = $"/api?key={Uri.EscapeDataString(key)}" + (timestamp is null ? "" : $"&timestamp={Uri.EscapeDataString(timestamp)}");
        using var response = await client.DeleteAsync(url);
        return await WriteAnswerAsync(response);
    }

    /// <summary><c>GET /api?key=</c>.</summary>
    public static async Task<ReadAnswer> GetKeyAsync(this HttpClient client, string key)
    {
        using var response = await client.GetAsync($"/api?key={Uri.EscapeDataString(key)}");
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK) return new ReadAnswer(response.StatusCode, null, null, text);
        var body = JsonNode.Parse(text)!;
        Assert.Equal(key, (string)body["data"]!["key"]!);
        return new ReadAnswer(response.StatusCode, (string)body["data"]!["value"]!, (string)body["source"]!, text);
    }

    /// <summary>Every pair of <c>GET /api/all</c>, following its pages when <paramref name="pageSize"/> is set.</summary>
    public static async Task<List<(string Key, string Value)>> ListAllAsync(this HttpClient client, int? pageSize = null)
    {
        var pairs = new List<(string, string)>();
        string? after = null;
        while (true)
        {
            var url = "/api/all" + (pageSize is null ? "" : $"?limit={pageSize}" + (after is null ? "" : $"&after={Uri.EscapeDataString(after)}"));
            using var response = await client.GetAsync(url);
            var text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {url} gave {(int)response.StatusCode}: {text}");
            var page = JsonNode.Parse(text)!["data"]!.AsArray().Select(p => ((string)p!["key"]!, (string)p["value"]!)).ToList();
            pairs.AddRange(page);
            if (pageSize is null || !response.Headers.TryGetValues("Link", out _)) return pairs;
            after = page[^1].Item1;
        }
    }

    private static async Task<WriteAnswer> WriteAnswerAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK) return new WriteAnswer(response.StatusCode, null, null, text);
        var body = JsonNode.Parse(text)!;
        return new WriteAnswer(response.StatusCode, (string)body["status"]!, (string)body["timestamp"]!, text);
    }
}
