using System.Globalization;

namespace InMemoryDb.Tests.Infrastructure.Processes;

/// <summary>
/// The built API as a process of its own, co-hosting its silo: the persistent single node on the test PostgreSQL
/// (or the embedded default without it), listening on a free loopback port. Disposing kills it.
/// </summary>
public sealed class SingleNode : IAsyncDisposable
{
    private readonly Dictionary<string, string?> _environment;
    private ServiceProcess? _process;

    private SingleNode(Dictionary<string, string?> environment, Uri address)
    {
        _environment = environment;
        Address = address;
    }

    /// <summary>The API's base address.</summary>
    public Uri Address { get; }

    /// <summary>The running process.</summary>
    public ServiceProcess Process => _process ?? throw new InvalidOperationException("The node is not running.");

    /// <summary>Starts a node under a fresh service id (or <paramref name="serviceId"/>) and waits until /health answers 200.</summary>
    public static async Task<SingleNode> StartAsync(string? postgres, string? serviceId = null, IReadOnlyDictionary<string, string?>? settings = null)
    {
        var port = TestPorts.Next();
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Postgres"] = postgres,
            ["Orleans__ServiceId"] = serviceId ?? "node-" + Guid.NewGuid().ToString("N")[..12],
            ["Orleans__ClusterId"] = "node-" + Guid.NewGuid().ToString("N")[..12],
            ["Orleans__SiloPort"] = TestPorts.Next().ToString(CultureInfo.InvariantCulture),
            ["Orleans__GatewayPort"] = TestPorts.Next().ToString(CultureInfo.InvariantCulture),
            ["Urls"] = $"http://127.0.0.1:{port}",
            ["InMemoryDb__Passwords__Iterations"] = "1000",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            ["DOTNET_gcServer"] = "0",
            ["ASPNETCORE_ENVIRONMENT"] = null,
            ["DOTNET_ENVIRONMENT"] = null,
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>()) environment[key] = value;
        var node = new SingleNode(environment, new Uri($"http://127.0.0.1:{port}"));
        await node.RestartAsync();
        return node;
    }

    /// <summary>Starts the process again (after <see cref="StopAsync"/> or a kill) with the same settings and data.</summary>
    public async Task RestartAsync(TimeSpan? timeout = null)
    {
        if (_process is { HasExited: false }) throw new InvalidOperationException("The node is still running.");
        if (_process is not null) await _process.DisposeAsync();
        _process = ServiceProcess.Start("node", BuiltBinaries.DotnetHost, [BuiltBinaries.Api], Path.GetDirectoryName(BuiltBinaries.Api)!, _environment);
        await _process.WaitForHealthAsync(Address, DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90)), _process.RecentOutput);
    }

    /// <summary>Stops the process gracefully (SIGTERM).</summary>
    public Task StopAsync() => Process.StopAsync(TimeSpan.FromSeconds(30));

    /// <summary>A client of the node.</summary>
    public HttpClient Client(TimeSpan? timeout = null)
        => new(new SocketsHttpHandler { UseProxy = false }) { BaseAddress = Address, Timeout = timeout ?? TimeSpan.FromSeconds(30) };

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_process is not null) await _process.DisposeAsync();
    }
}
