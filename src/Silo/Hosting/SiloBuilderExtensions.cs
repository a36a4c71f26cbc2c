using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using InMemoryDb.Events;
using InMemoryDb.Grains;
using InMemoryDb.Grains.Events;
using InMemoryDb.Grains.Persistence;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Runtime.Hosting;

namespace InMemoryDb.Silo.Hosting;

/// <summary>Composes a silo of the service from configuration; used by <c>src/Silo</c> and by <c>src/Api</c> when it co-hosts a silo.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>Largest message between silos and clients (whole-table dumps and joins travel in one message).</summary>
    public const int MaxMessageBodySize = 512 * 1024 * 1024;

    /// <summary>
    /// Adds clustering (through Redis when <c>ConnectionStrings:Redis</c> is set, advertising <c>Orleans:AdvertisedIP</c>;
    /// otherwise localhost clustering), mutual TLS on the silo and gateway ports when <c>Orleans:Tls:CertificatePath</c>
    /// is set (required with Redis clustering unless the silo is on loopback), failure detection tuned for fast fail-over, grain storage (PostgreSQL via
    /// ADO.NET when <c>ConnectionStrings:Postgres</c> is set, otherwise memory), the event-log stream and its writer,
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
    /// Everything but clustering: grain storage, the event-log stream and its writer, and the grains' services.
    /// Test clusters use this with their own membership.
    /// </summary>
    public static ISiloBuilder AddInMemoryDbGrains(this ISiloBuilder silo, IConfiguration configuration)
    {
        var settings = InMemoryDbSettings.From(configuration);
        var services = silo.Services;
        services.AddSingleton(settings);
        services.AddSingleton(settings.IsPersistent ? StorageInfo.Postgres : StorageInfo.Memory);
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
            silo.AddAdoNetGrainStorage(ProviderNames.Storage, o =>
            {
                o.Invariant = "Npgsql";
                o.DataSource = dataSource;
                o.GrainStorageSerializer = new JsonGrainStateSerializer();
            });
            services.AddSingleton<IGrainStateScanner, PostgresGrainStateScanner>();
            services.AddSingleton<IEventLogStore, PostgresEventLogStore>();
            services.AddSingleton<IStorageHealthCheck, PostgresStorageHealthCheck>();
        }
        else
        {
            services.AddSingleton<InMemoryGrainStorage>();
            services.AddGrainStorage(ProviderNames.Storage, (sp, _) => sp.GetRequiredService<InMemoryGrainStorage>());
            services.AddSingleton<IGrainStateScanner>(sp => sp.GetRequiredService<InMemoryGrainStorage>());
            services.AddSingleton<IEventLogStore, InMemoryEventLogStore>();
            services.AddSingleton<IStorageHealthCheck, InMemoryStorageHealthCheck>();
        }

        // The event log: a memory stream fans events out (durability comes from each grain's outbox),
        // a consumer grain per stream hands them to this silo's writer, which stores them in batches.
        silo.AddMemoryStreams(ProviderNames.EventStream, streams =>
        {
            streams.ConfigurePartitioning(EventStreams.Partitions);
            // Measured (docs/benchmarks/README.md, key-value store): polling every 100 ms with deliveries of up to 100 events raised the
            // durable PUT ceiling and lowered its p99 at 1,000/s against 20 ms and single-event deliveries.
            streams.ConfigurePullingAgent(agent => agent.Configure(o =>
            {
                o.GetQueueMsgsTimerPeriod = settings.EventStreamPollPeriod;
                o.BatchContainerBatchSize = settings.EventStreamDeliveryBatchSize;
            }));
            // Delivered events need not be kept for rewinding: the log of record is the event_log table.
            streams.ConfigureCacheEviction(eviction => eviction.Configure(o =>
            {
                o.DataMinTimeInCache = TimeSpan.Zero;
                o.DataMaxAgeInCache = TimeSpan.FromMinutes(1);
            }));
        });
        silo.AddMemoryGrainStorage(ProviderNames.PubSub);
        services.AddSingleton<EventStreamPublisher>();
        services.AddSingleton<EventLogWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<EventLogWriter>());
        services.AddHostedService<DeadSiloEventRecovery>();

        services.AddSingleton(ResponseLimitsFrom(configuration));
        services.Configure<PasswordHashingOptions>(configuration.GetSection("InMemoryDb:Passwords"));
        services.AddSingleton<PasswordHashing>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, StartupAnnouncer>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>, IndexWarmUp>();
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
