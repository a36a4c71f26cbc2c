using System.Collections.Concurrent;
using System.Text.Json.Serialization;

// The benchmarks' baseline: what one HTTP service can do here, with no cluster, no persistence and no events.
// InMemoryDb's key-value routes and JSON shapes over a ConcurrentDictionary (below) and the rinha routes over a
// dictionary and a linear scan (PessoasBaseline.cs).
//   dotnet bench/Baseline/bin/Release/net10.0/InMemoryDb.Baseline.dll --urls http://127.0.0.1:5090
// With ConnectionStrings__Postgres set, it is the durable baseline instead: each PUT and DELETE of /api is also one
// autocommitted upsert of the key's row in PostgreSQL (table baseline_kv), answered once committed, on a pool of
// 8 connections. No grains, no events, no index: the floor of a durable write over HTTP on this machine.
var builder = WebApplication.CreateSlimBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.TypeInfoResolverChain.Insert(0, BaselineJson.Default));
var app = builder.Build();
var store = new ConcurrentDictionary<string, string>(StringComparer.Ordinal);
var durable = await DurableBaseline.OpenAsync(builder.Configuration.GetConnectionString("Postgres"));

app.MapGet("/health", () => Results.Ok(new Health("ready", durable is null ? "memory" : "postgres")));
app.MapGet("/api", (string? key) =>
    string.IsNullOrEmpty(key) ? Results.BadRequest(new Detail("key is required"))
    : store.TryGetValue(key, out var value) ? Results.Ok(new Read(new Pair(key, value), "memory"))
    : Results.NotFound(new Detail("key not found")));
app.MapGet("/api/all", () => Results.Ok(new All(store.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => new Pair(p.Key, p.Value)).ToArray())));
app.MapPut("/api", async (Pair body) =>
{
    if (durable is not null) await durable.WriteAsync(body.Key, body.Value);
    store[body.Key] = body.Value;
    return Results.Ok(new Written("stored", DateTime.UtcNow.ToString("O")));
});
app.MapDelete("/api", async (string? key) =>
{
    if (string.IsNullOrEmpty(key)) return Results.BadRequest(new Detail("key is required"));
    if (durable is not null) await durable.WriteAsync(key, null);
    store.TryRemove(key, out _);
    return Results.Ok(new Written("deleted", DateTime.UtcNow.ToString("O")));
});
app.MapPessoasBaseline();
app.Run();

internal sealed record Pair([property: JsonPropertyName("key")] string Key, [property: JsonPropertyName("value")] string Value);
internal sealed record Read([property: JsonPropertyName("data")] Pair Data, [property: JsonPropertyName("source")] string Source);
internal sealed record All([property: JsonPropertyName("data")] Pair[] Data);
internal sealed record Written([property: JsonPropertyName("status")] string Status, [property: JsonPropertyName("timestamp")] string Timestamp);
internal sealed record Detail([property: JsonPropertyName("detail")] string Message);
internal sealed record Health([property: JsonPropertyName("status")] string Status, [property: JsonPropertyName("storage")] string Storage);

[JsonSerializable(typeof(Pair))]
[JsonSerializable(typeof(Read))]
[JsonSerializable(typeof(All))]
[JsonSerializable(typeof(Written))]
[JsonSerializable(typeof(Detail))]
[JsonSerializable(typeof(Health))]
internal sealed partial class BaselineJson : JsonSerializerContext;
