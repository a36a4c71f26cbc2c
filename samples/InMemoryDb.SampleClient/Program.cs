using InMemoryDb;
using InMemoryDb.Events;
using InMemoryDb.KeyValue;
using InMemoryDb.SampleClient;
using InMemoryDb.Streaming;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Streams;

// A .NET service calling InMemoryDb's grains directly, as an Orleans client of the cluster.
//   ConnectionStrings__Redis=127.0.0.1:6379 Orleans__ClusterId=inmemorydb Orleans__ServiceId=inmemorydb \
//     dotnet run --project samples/InMemoryDb.SampleClient -- put greeting hello get greeting list 10 count
// A cluster with Orleans TLS also needs Orleans__Tls__CertificatePath, Orleans__Tls__KeyPath and Orleans__Tls__CaPath (ClusterTls.cs).
// Commands run in order: put KEY VALUE | get KEY | delete KEY | list [LIMIT] | count | platform. Exit code 1 if a command fails.
// platform: subscribes to the streaming platform's replies (the response_events stream) and to the event log, creates a
// user through IStreamingGrain, and waits for its reply and its criar_usuario event on the two streams.
var builder = Host.CreateApplicationBuilder();
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var redis = builder.Configuration.GetConnectionString("Redis") ?? "127.0.0.1:6379";
builder.UseOrleansClient(client => client
    .UseRedisClustering(redis)
    .Configure<ClusterOptions>(cluster =>
    {
        cluster.ClusterId = builder.Configuration["Orleans:ClusterId"] ?? "inmemorydb";
        cluster.ServiceId = builder.Configuration["Orleans:ServiceId"] ?? "inmemorydb";
    })
    .UseClusterTls(builder.Configuration)
    // The two streams a service may subscribe to: the event log (resumable by position) and the platform's replies (live).
    .AddEventLogStreams()
    .AddMemoryStreams(StreamingKeys.ReplyStreamProvider));

using var host = builder.Build();
await host.StartAsync();
var grains = host.Services.GetRequiredService<IClusterClient>();

// Events caused by these calls carry this correlation id in the event log.
Correlation.Set("sample-client-" + Guid.NewGuid().ToString("N")[..8]);

var failed = false;
var queue = new Queue<string>(args);
while (queue.Count > 0)
{
    var command = queue.Dequeue();
    switch (command)
    {
        case "put":
        {
            var (key, value) = (queue.Dequeue(), queue.Dequeue());
            // The grain of a key is found by KeyValueKeys.GrainKey; the grain checks the key and value itself.
            var outcome = await grains.GetGrain<IKeyValueGrain>(KeyValueKeys.GrainKey(key)).PutAsync(key, value, timestamp: null);
            Console.WriteLine(outcome.Value is { } put ? $"put {key} -> {put.Status} at {KeyValueTimestamps.Format(put.Timestamp)}" : $"put {key} -> {outcome.Kind}: {outcome.Detail}");
            failed |= outcome.Value is null;
            break;
        }
        case "get":
        {
            var key = queue.Dequeue();
            var read = await grains.GetGrain<IKeyValueGrain>(KeyValueKeys.GrainKey(key)).GetAsync();
            Console.WriteLine(read is null ? $"get {key} -> not found" : $"get {key} -> {read.Entry.Value}");
            failed |= read is null;
            break;
        }
        case "delete":
        {
            var key = queue.Dequeue();
            var outcome = await grains.GetGrain<IKeyValueGrain>(KeyValueKeys.GrainKey(key)).DeleteAsync(key, timestamp: null);
            Console.WriteLine($"delete {key} -> {outcome.Value?.Status.ToString() ?? outcome.Detail}");
            break;
        }
        case "list":
        {
            var limit = 10;
            if (queue.Count > 0 && int.TryParse(queue.Peek(), out var parsed))
            {
                limit = parsed;
                queue.Dequeue();
            }
            var page = await grains.GetGrain<IKeyValueStoreGrain>(0).ListAsync(after: null, limit);
            foreach (var entry in page.Value?.Entries ?? []) Console.WriteLine($"list -> {entry.Key} = {entry.Value}");
            break;
        }
        case "platform":
            failed |= !await Platform.CreateUserAndWatchAsync(grains);
            break;
        case "count":
            Console.WriteLine($"count -> {await grains.GetGrain<IKeyValueStoreGrain>(0).CountAsync()}");
            break;
        default:
            Console.Error.WriteLine($"unknown command '{command}': use put KEY VALUE | get KEY | delete KEY | list [LIMIT] | count | platform");
            failed = true;
            queue.Clear();
            break;
    }
}

await host.StopAsync();
return failed ? 1 : 0;
