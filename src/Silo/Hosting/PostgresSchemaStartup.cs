using InMemoryDb.Grains.Persistence;
using Microsoft.Extensions.Logging;
using Orleans.Runtime;

namespace InMemoryDb.Silo.Hosting;

/// <summary>
/// Applies the database schema early in silo start-up, before the storage provider reads its queries.
/// Waits for PostgreSQL to accept connections (up to the start-up timeout), so silos can start with it.
/// </summary>
internal sealed partial class PostgresSchemaStartup(InMemoryDbSettings settings, ILogger<PostgresSchemaStartup> logger)
    : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle)
        => lifecycle.Subscribe(nameof(PostgresSchemaStartup), ServiceLifecycleStage.RuntimeInitialize, ApplyAsync);

    private async Task ApplyAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + settings.StartupTimeout;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await PostgresSchema.EnsureAsync(settings.Postgres!, logger, cancellationToken);
                return;
            }
            catch (Exception e) when (e is Npgsql.NpgsqlException or System.Net.Sockets.SocketException && DateTime.UtcNow < deadline)
            {
                LogWaiting(logger, attempt, e.Message);
                await Task.Delay(TimeSpan.FromSeconds(Math.Min(attempt, 5)), cancellationToken);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL is not reachable yet (attempt {Attempt}): {Reason}")]
    private static partial void LogWaiting(ILogger logger, int attempt, string reason);
}
