using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace InMemoryDb.Tests.Infrastructure;

/// <summary>Small helpers for calling the API in tests.</summary>
public static class Http
{
    /// <summary>A unique table name for one test.</summary>
    public static string NewTable(string prefix = "t") => prefix + "_" + Guid.NewGuid().ToString("N")[..16];

    /// <summary>A JSON request body.</summary>
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>A JSON request body of unknown length (sent chunked), handed to the server a few bytes at a time.</summary>
    public static StreamContent Trickled(string json)
    {
        var content = new StreamContent(new TrickleStream(Encoding.UTF8.GetBytes(json)));
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    /// <summary>A <c>{"data": ...}</c> body.</summary>
    public static StringContent Data(object data) => Json(JsonSerializer.Serialize(new { data }));

    /// <summary>Sends a request with optional headers.</summary>
    public static Task<HttpResponseMessage> SendAsync(this HttpClient client, HttpMethod method, string url, HttpContent? content = null, params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(method, url) { Content = content };
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return client.SendAsync(request);
    }

    /// <summary>The body as a JSON node.</summary>
    public static async Task<JsonNode> JsonAsync(this HttpResponseMessage response)
        => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    /// <summary>The events among the log's first 10,000 that <paramref name="match"/> accepts, in log order.</summary>
    public static async Task<JsonNode[]> EventsAsync(this HttpClient client, Func<JsonNode, bool> match)
        => (await (await client.GetAsync("/api/v1/events?limit=10000")).JsonAsync()).AsArray().Select(e => e!).Where(match).ToArray();

    /// <summary>Creates a record and returns its JSON (asserting 201).</summary>
    public static async Task<JsonNode> CreateAsync(this HttpClient client, string table, object data)
    {
        var response = await client.PostAsync($"/api/v1/data/{table}", Data(data));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"POST {table} gave {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>Creates a valid users record with a unique email.</summary>
    public static Task<JsonNode> CreateUserAsync(this HttpClient client, string? email = null)
        => client.CreateAsync("users", new { email = email ?? $"u{Guid.NewGuid():N}@example.com", full_name = "Test User", age = 30, password = "correct horse" });

    /// <summary>Asserts a problem-details response with the status.</summary>
    public static async Task<JsonNode> AssertProblemAsync(this HttpResponseMessage response, int status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!;
        Assert.Equal(status, (int)problem["status"]!);
        return problem;
    }

    /// <summary>The ETag header value.</summary>
    public static string? ETag(this HttpResponseMessage response) => response.Headers.ETag?.ToString();

    /// <summary>Sets no content type on a body.</summary>
    public static ByteArrayContent Raw(byte[] bytes, string? contentType = "application/json")
    {
        var content = new ByteArrayContent(bytes);
        if (contentType is not null) content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        return content;
    }
}

/// <summary>A read-only, unseekable stream (so its length is not known) that returns at most 7 bytes per read.</summary>
public sealed class TrickleStream(byte[] bytes) : Stream
{
    private int _position;

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override int Read(byte[] buffer, int offset, int count)
    {
        var n = Math.Min(Math.Min(count, 7), bytes.Length - _position);
        Array.Copy(bytes, _position, buffer, offset, n);
        _position += n;
        return n;
    }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
