using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using InMemoryDb.Events;
using InMemoryDb.Grains;
using InMemoryDb.Grains.Events;
using InMemoryDb.Grains.Fencing;
using InMemoryDb.Grains.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Hosting;

namespace InMemoryDb.Silo.Hosting;

/// <summary>Composes a silo of the service from configuration; used by <c>src/Silo</c> and by <c>src/Api</c> when it co-hosts a silo.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>Grain locations a silo caches by default (<c>InMemoryDb:DirectoryCacheSize</c>).</summary>
    public const int DirectoryCacheSize = 20_000;

    /// <summary>Largest message between silos and clients (whole-table dumps and joins travel in one message).</summary>
    public const int MaxMessageBodySize = 512 * 1024 * 1024;

    /// <summary>
    /// Adds clustering (through Redis when <c>ConnectionStrings:Redis</c> is set, advertising <c>Orleans:AdvertisedIP</c>;
    /// otherwise localhost clustering), mutual TLS on the silo and gateway ports when <c>Orleans:Tls:CertificatePath</c>
    /// is set (required with Redis clustering unless the silo is on loopback), failure detection tuned for fast fail-over, grain storage (PostgreSQL via
    /// ADO.NET, writes grouped, when <c>ConnectionStrings:Postgres</c> is set, otherwise memory), the event-log stream,
    /// and the services the grains need.
    /// </summary>
    public static ISiloBuilder AddInMemoryDb(this ISiloBuilder silo, IConfiguration configuration)
    {
        var settings = InMemoryDbSettings.From(configuration);
        if (settings.UsesRedisClustering)
        {
            if (!settings.IsPersistent)
            {
                // In-memory storage and event log are per process: several silos would each see a part of the data.
                throw new InvalidOperationException(
                    "ConnectionStrings:Redis is set (a cluster of silos) but ConnectionStrings:Postgres is not: a cluster keeps its data in PostgreSQL; set both, or neither for a single in-memory node.");
            }
            silo.UseRedisClustering(o => o.ConfigurationOptions = RedisConnection.Options(settings.Redis!));
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = settings.ClusterId;
                o.ServiceId = settings.ServiceId;
            });
            var advertised = AdvertisedAddress(settings.AdvertisedIP);
            if (settings.Tls is null)
            {
                // Without TLS the silo and gateway ports take any Orleans client: allowed on loopback only (with a warning).
                ClusterTls.RequireLoopbackWithoutTls(advertised, settings.ListenOnAnyHostAddress);
                silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => new ClusterTransportAnnouncer(
                    null, $"{advertised}:{settings.SiloPort}/{settings.GatewayPort}", sp.GetRequiredService<ILogger<ClusterTransportAnnouncer>>()));
            }
            silo.ConfigureEndpoints(advertised, settings.SiloPort, settings.GatewayPort, settings.ListenOnAnyHostAddress);
            // Fencing: a silo that cannot confirm its membership within a lease serves no call and commits no write.
            silo.Services.Configure<LeaseOptions>(configuration.GetSection("InMemoryDb:Fencing"));
            silo.Services.AddSingleton<MembershipLease>();
            silo.Services.AddSingleton<ISiloLease>(sp => sp.GetRequiredService<MembershipLease>());
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<MembershipLease>());
        }
        else
        {
            silo.UseLocalhostClustering(settings.SiloPort, settings.GatewayPort, serviceId: settings.ServiceId, clusterId: settings.ClusterId);
        }
        if (settings.Tls is not null)
        {
            var tls = ClusterTls.Load(settings.Tls);
            silo.UseTls(tls.Certificate, tls.Configure);
            silo.Services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => new ClusterTransportAnnouncer(
                tls, $"{settings.SiloPort}/{settings.GatewayPort}", sp.GetRequiredService<ILogger<ClusterTransportAnnouncer>>()));
        }
        FailureDetection.Configure(silo.Services, configuration);
        return silo.AddInMemoryDbGrains(configuration);
    }

    /// <summary>
    /// Everything but clustering: grain storage, the event-log stream, and the grains' services.
    /// Test clusters use this with their own membership.
    /// </summary>
    public static ISiloBuilder AddInMemoryDbGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        var settings = InMemoryDbSettings.From(configuration);
        var services = silo.Services;
        services.AddSingleton(settings);
        // Alone (localhost clustering, test clusters) nobody can declare the silo dead: its lease always holds.
        services.TryAddSingleton<ISiloLease>(SoleSiloLease.Instance);
        silo.AddIncomingGrainCallFilter<CallGuard>();
        // Key-value reads from the partitions' memory when the API is co-hosted (docs/decisions/resident-memory.md).
        services.AddSingleton<InMemoryDb.Grains.KeyValue.LocalKeyValuePartitions>();
        services.AddSingleton<InMemoryDb.Grains.KeyValue.KeyValueReader>();
        services.AddSingleton(settings.IsPersistent ? StorageInfo.Postgres : StorageInfo.Memory);
        // The directory cache keeps the hot grains' locations; Orleans' default (a million entries, about 230 bytes
        // each) grows with every entity ever activated, and keeps locations of collected ones; key-value reads do not
        // go through grains and key-value writers are transient (docs/decisions/resident-memory.md).
        // (Not under Orleans:GrainDirectory: Orleans reads that section as grain directory providers.)
        var directoryCacheSize = configuration.GetValue("InMemoryDb:DirectoryCacheSize", DirectoryCacheSize);
        silo.Configure<GrainDirectoryOptions>(o => o.CacheSize = directoryCacheSize);
        silo.AddMemoryBudget(configuration);
        silo.Configure<SiloMessagingOptions>(o =>
        {
            o.MaxMessageBodySize = MaxMessageBodySize;
            if (settings.ResponseTimeout is { } timeout) o.ResponseTimeout = timeout;
        });

        if (settings.IsPersistent)
        {
            var dataSource = PostgresDataSource.Create(settings.Postgres!);
            // Registered by factory so the container disposes it (closing its pooled connections) when the host stops.
            services.AddSingleton(_ => dataSource);
            services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, PostgresSchemaStartup>();
            // Reads and clears through Orleans' ADO.NET provider; writes grouped by ours, into the same rows.
            silo.AddAdoNetGrainStorage(ProviderNames.StorageReads, o =>
            {
                o.Invariant = "Npgsql";
                o.DataSource = dataSource;
                o.GrainStorageSerializer = new JsonGrainStateSerializer();
            });
            var groupCommit = (configuration.GetSection("InMemoryDb:GroupCommit").Get<GroupCommitOptions>() ?? new GroupCommitOptions()).Validated();
            services.AddGrainStorage(ProviderNames.Storage, (sp, name) => new PostgresGroupCommit(
                name, dataSource, sp.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId,
                sp.GetRequiredKeyedService<IGrainStorage>(ProviderNames.StorageReads), groupCommit,
                sp.GetRequiredService<ISiloLease>(), sp.GetRequiredService<ILogger<PostgresGroupCommit>>()));
            services.AddSingleton<IGrainStateScanner, PostgresGrainStateScanner>();
            services.AddSingleton<IEventLogStore, PostgresEventLogStore>();
            services.AddSingleton<IStorageHealthCheck, PostgresStorageHealthCheck>();
        }
        else
        {
            services.AddSingleton<InMemoryEventLogStore>();
            services.AddSingleton<IEventLogStore>(sp => sp.GetRequiredService<InMemoryEventLogStore>());
            services.AddSingleton<InMemoryGrainStorage>();
            services.AddGrainStorage(ProviderNames.Storage, (sp, _) => sp.GetRequiredService<InMemoryGrainStorage>());
            services.AddSingleton<IGrainStateScanner>(sp => sp.GetRequiredService<InMemoryGrainStorage>());
            services.AddSingleton<IStorageHealthCheck, InMemoryStorageHealthCheck>();
        }

        silo.AddMemoryGrainStorage(ProviderNames.PubSub);
        // The event log played as an Orleans stream, resumable by position (EventStreams.Log).
        silo.AddEventLogStreams(configuration);
        // The streaming platform's replies, live (the original's response_events); their record is /status.
        silo.AddMemoryStreams(InMemoryDb.Streaming.StreamingKeys.ReplyStreamProvider);
        services.AddOptions<InMemoryDb.Grains.Streaming.StreamingOptions>().Bind(configuration.GetSection(InMemoryDb.Grains.Streaming.StreamingOptions.Section))
            .Validate(o => o.SessionIdleTimeout > TimeSpan.Zero && o.StatusRetention > TimeSpan.Zero && o.StatusMemoryPerPartition > 0,
                "InMemoryDb:Streaming: SessionIdleTimeout and StatusRetention must be positive durations, StatusMemoryPerPartition a positive count.")
            .ValidateOnStart();
        services.AddHostedService<DeadSiloRecovery>();
        services.AddHostedService<InMemoryDb.Grains.KeyValue.KeyValueIndexWarmup>();

        services.AddSingleton(ResponseLimitsFrom(configuration));
        services.Configure<PasswordHashingOptions>(configuration.GetSection("InMemoryDb:Passwords"));
        services.AddSingleton<PasswordHashing>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, StartupAnnouncer>();
        return silo;
    }

    /// <summary>The response limits of <c>InMemoryDb:Limits</c>, checked.</summary>
    public static ResponseLimits ResponseLimitsFrom(IConfiguration configuration)
    {
        var limits = configuration.GetSection("InMemoryDb:Limits").Get<ResponseLimits>() ?? new ResponseLimits();
        return limits.MaxResponseBytes >= 64 * 1024
            ? limits
            : throw new InvalidOperationException($"InMemoryDb:Limits:MaxResponseBytes must be at least 65536 (64 KiB); it is {limits.MaxResponseBytes}.");
    }

    /// <summary>
    /// The address to advertise: the configured IP address, or the first IPv4 address of the configured host name,
    /// or (none configured) this host's first non-loopback IPv4 address, falling back to loopback.
    /// </summary>
    public static IPAddress AdvertisedAddress(string? configured)
    {
        if (configured is not null)
        {
            if (IPAddress.TryParse(configured, out var address)) return address;
            return Dns.GetHostAddresses(configured).FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork)
                ?? throw new InvalidOperationException($"Orleans:AdvertisedIP '{configured}' resolves to no IPv4 address.");
        }
        return NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up && n.NetworkInterfaceType != NetworkInterfaceType.Loopback)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses)
            .Select(a => a.Address)
            .FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a))
            ?? IPAddress.Loopback;
    }
}
