using System.Globalization;
using System.Text;

namespace InMemoryDb.Tests.Infrastructure.Processes;

/// <summary>
/// The cluster deployment as separate processes on loopback, started from the built binaries: silos clustered
/// through Redis with PostgreSQL persistence, and APIs in client mode. Ports are free ports; the service and
/// cluster ids are fresh, so clusters of different tests never meet. Orleans TLS is on (silos read the member
/// certificate as a PFX file, APIs as PEM files), so every cluster test runs over it. Disposing kills whatever is
/// still running.
/// </summary>
public sealed class ProcessCluster : IAsyncDisposable
{
    /// <summary>What a silo prints once it is active in the cluster.</summary>
    public const string SiloStarted = "Orleans Silo started.";

    private readonly Dictionary<string, ServiceProcess> _processes = [];
    private readonly Dictionary<string, Uri> _apis = [];

    /// <summary>
    /// A cluster with a fresh service id (the data's scope) and cluster id, using the given Redis, with Orleans TLS
    /// from <paramref name="tls"/> (by default <see cref="TestCertificates.Shared"/>; <c>withoutTls</c>: none).
    /// </summary>
    public ProcessCluster(string redis, string? serviceId = null, TestCertificates? tls = null, bool withoutTls = false)
    {
        Redis = redis;
        Tls = withoutTls ? null : tls ?? TestCertificates.Shared;
        ServiceId = serviceId ?? "proc-" + Guid.NewGuid().ToString("N")[..12];
        ClusterId = "cluster-" + Guid.NewGuid().ToString("N")[..12];
    }

    /// <summary>The Redis connection string the processes cluster through (changeable before starting processes).</summary>
    public string Redis { get; set; }

    /// <summary>The Orleans service id: the data's scope in PostgreSQL.</summary>
    public string ServiceId { get; }

    /// <summary>The Orleans cluster id (changeable before starting processes, e.g. for a new deployment).</summary>
    public string ClusterId { get; set; }

    /// <summary>The certificates of the cluster's Orleans TLS; null: TLS is off.</summary>
    public TestCertificates? Tls { get; }

    /// <summary>Settings added to every silo started from now on (e.g. log levels while diagnosing).</summary>
    public Dictionary<string, string?> SiloSettings { get; } = [];

    /// <summary>Settings added to every API started from now on (e.g. <c>InMemoryDb__RequestTimeout</c>).</summary>
    public Dictionary<string, string?> ApiSettings { get; } = [];

    /// <summary>The PostgreSQL connection string of the silos.</summary>
    public static string Postgres => TestEnvironment.Postgres;

    /// <summary>The base address of each API started, by name.</summary>
    public IReadOnlyDictionary<string, Uri> Apis => _apis;

    /// <summary>A started process by name.</summary>
    public ServiceProcess this[string name] => _processes[name];

    /// <summary>Starts a silo process.</summary>
    public ServiceProcess StartSilo(string name)
    {
        var environment = Common();
        environment["ConnectionStrings__Postgres"] = Postgres;
        environment["Orleans__SiloPort"] = Port();
        environment["Orleans__GatewayPort"] = Port();
        environment["Logging__LogLevel__Orleans.Hosting.SiloHostedService"] = "Information";
        foreach (var (key, value) in Tls?.PfxEnvironment() ?? []) environment[key] = value;
        foreach (var (key, value) in SiloSettings) environment[key] = value;
        return Add(ServiceProcess.Start(name, BuiltBinaries.DotnetHost, [BuiltBinaries.Silo], Path.GetDirectoryName(BuiltBinaries.Silo)!, environment, SiloStarted));
    }

    /// <summary>Starts an API process in client mode; its address is in <see cref="Apis"/>.</summary>
    public ServiceProcess StartApi(string name)
    {
        var url = new Uri($"http://127.0.0.1:{Port()}");
        var environment = Common();
        environment["InMemoryDb__Mode"] = "client";
        environment["Urls"] = url.ToString().TrimEnd('/');
        foreach (var (key, value) in ClientEnvironment()) environment[key] = value;
        foreach (var (key, value) in ApiSettings) environment[key] = value;
        _apis[name] = url;
        return Add(ServiceProcess.Start(name, BuiltBinaries.DotnetHost, [BuiltBinaries.Api], Path.GetDirectoryName(BuiltBinaries.Api)!, environment));
    }

    /// <summary>Starts the given silos, waits until each is active, then starts the given APIs and waits until they answer.</summary>
    public async Task StartAsync(IReadOnlyList<string> silos, IReadOnlyList<string> apis, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        foreach (var silo in silos) StartSilo(silo);
        foreach (var silo in silos) await WaitForSiloAsync(silo, deadline);
        foreach (var api in apis) StartApi(api);
        foreach (var api in apis) await WaitForApiAsync(api, deadline);
    }

    /// <summary>Waits until the silo printed that it is active.</summary>
    public async Task WaitForSiloAsync(string name, DateTime deadline)
    {
        var silo = _processes[name];
        while (!silo.HasPrinted(SiloStarted))
        {
            if (silo.HasExited) throw new InvalidOperationException($"{name} exited during start-up.{Diagnostics()}");
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{name} did not start in time.{Diagnostics()}");
            await Task.Delay(100);
        }
    }

    /// <summary>Waits until the API's health check answers 200 (its client reached the cluster and storage answers).</summary>
    public Task WaitForApiAsync(string name, DateTime deadline) => _processes[name].WaitForHealthAsync(_apis[name], deadline, Diagnostics);

    /// <summary>
    /// What an Orleans client of this cluster needs (e.g. the sample client): Redis, the cluster and service ids, and
    /// the member certificate as PEM files when TLS is on.
    /// </summary>
    public Dictionary<string, string?> ClientEnvironment()
    {
        var environment = new Dictionary<string, string?>
        {
            ["ConnectionStrings__Redis"] = Redis,
            ["Orleans__ClusterId"] = ClusterId,
            ["Orleans__ServiceId"] = ServiceId,
        };
        foreach (var (key, value) in Tls?.PemEnvironment() ?? []) environment[key] = value;
        return environment;
    }

    /// <summary>An HTTP client of one API.</summary>
    public HttpClient Client(string api, TimeSpan? timeout = null)
        => new(new SocketsHttpHandler { MaxConnectionsPerServer = 256, UseProxy = false }) { BaseAddress = _apis[api], Timeout = timeout ?? TimeSpan.FromSeconds(30) };

    /// <summary>Stops every process gracefully (SIGTERM), APIs first.</summary>
    public async Task StopAllAsync()
    {
        var apis = _processes.Values.Where(p => _apis.ContainsKey(p.Name)).ToArray();
        await Task.WhenAll(apis.Select(p => p.StopAsync()));
        await Task.WhenAll(_processes.Values.Except(apis).Select(p => p.StopAsync(TimeSpan.FromSeconds(20))));
    }

    /// <summary>The recent output of every process, for failure messages.</summary>
    public string Diagnostics()
    {
        var text = new StringBuilder();
        foreach (var process in _processes.Values)
        {
            text.AppendLine().Append("===== ").Append(process.Name).Append(process.HasExited ? " (exited)" : "").AppendLine(" =====");
            text.AppendLine(process.RecentOutput());
        }
        return text.ToString();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes.Values) await process.DisposeAsync();
        _processes.Clear();
    }

    private Dictionary<string, string?> Common() => new()
    {
        ["ConnectionStrings__Redis"] = Redis,
        ["Orleans__ClusterId"] = ClusterId,
        ["Orleans__ServiceId"] = ServiceId,
        ["Orleans__AdvertisedIP"] = "127.0.0.1",
        ["Orleans__ResponseTimeout"] = "00:00:10",
        ["InMemoryDb__Passwords__Iterations"] = "1000",
        ["Logging__LogLevel__Default"] = "Warning",
        ["Logging__LogLevel__InMemoryDb"] = "Information",
        ["Logging__Console__FormatterOptions__SingleLine"] = "true",
        ["DOTNET_gcServer"] = "0",
        ["ASPNETCORE_ENVIRONMENT"] = null,
        ["DOTNET_ENVIRONMENT"] = null,
    };

    private ServiceProcess Add(ServiceProcess process)
    {
        if (_processes.TryGetValue(process.Name, out var previous) && !previous.HasExited)
        {
            process.Kill();
            throw new InvalidOperationException($"{process.Name} is already running.");
        }
        _processes[process.Name] = process;
        return process;
    }

    private static string Port() => TestPorts.Next().ToString(CultureInfo.InvariantCulture);
}
