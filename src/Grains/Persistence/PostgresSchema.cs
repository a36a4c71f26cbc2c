using Npgsql;

namespace InMemoryDb.Grains.Persistence;

/// <summary>
/// Creates the database (when it does not exist) and applies <c>Sql/schema.sql</c>, idempotently and under an
/// advisory lock so silos starting together do not race. Runs before the storage provider reads its queries.
/// </summary>
public static partial class PostgresSchema
{
    private const long MigrationLockId = 0x1A2B_3C4D_0001;

    /// <summary>The schema script embedded in this assembly.</summary>
    public static string Script { get; } = ReadScript();

    /// <summary>Makes sure the database and every table, function, view and query the service needs exist.</summary>
    public static async Task EnsureAsync(string connectionString, ILogger logger, CancellationToken cancellationToken)
    {
        await EnsureDatabaseAsync(connectionString, logger, cancellationToken);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var lockCommand = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({MigrationLockId})", connection, transaction))
        {
            await lockCommand.ExecuteNonQueryAsync(cancellationToken);
        }
        await using (var command = new NpgsqlCommand(Script, connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        await transaction.CommitAsync(cancellationToken);
        LogSchemaReady(logger, connection.Database);
        await LogLegacyOutboxesAsync(connection, logger, cancellationToken);
    }

    /// <summary>The one-time migration that logs the events earlier versions left in stored outboxes.</summary>
    public const string OutboxMigration = "outbox-events-logged";

    // Events a grain state's outbox still holds and the log lacks, oldest first, one transaction's worth at a time.
    private static readonly string LogOutboxChunkSql = $"""
        WITH pending AS (
            SELECT s.serviceid, (e->>'event_id')::uuid AS event_id, e->>'method' AS method, e->>'entity' AS entity,
                   e->>'key' AS key, e->>'content_json' AS content, e->>'correlation_id' AS correlation_id,
                   e->>'source' AS source, (e->>'timestamp')::timestamptz AS created_at
              FROM orleansstorage s
              CROSS JOIN LATERAL (SELECT convert_from(s.payloadbinary, 'UTF8')::jsonb -> 'outbox' AS outbox) o
              CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(o.outbox) = 'array' THEN o.outbox ELSE '[]'::jsonb END) AS e
             WHERE s.payloadbinary IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM event_log l WHERE l.event_id = (e->>'event_id')::uuid)
             ORDER BY created_at, event_id
             LIMIT {Events.EventPositions.MaxPerTransaction})
        INSERT INTO event_log (position, service_id, event_id, method, entity, key, content, correlation_id, source, created_at)
        SELECT {Events.EventPositions.PositionSql("row_number() OVER (ORDER BY created_at, event_id) - 1")},
               serviceid, event_id, method, entity, key, content::jsonb, correlation_id, source, created_at
          FROM pending
        ON CONFLICT (event_id) DO NOTHING
        """;

    /// <summary>
    /// Earlier versions kept each event in its grain's stored state (an outbox) until a separate writer logged it.
    /// Once per database, the events such states still hold and the log lacks are logged (oldest first; the event id
    /// keeps them once), after which the log holds every acknowledged change. Stored states keep their outbox field
    /// until their next write; the current states ignore it.
    /// </summary>
    private static async Task LogLegacyOutboxesAsync(NpgsqlConnection connection, ILogger logger, CancellationToken cancellationToken)
    {
        await using (var done = new NpgsqlCommand("SELECT 1 FROM inmemorydb_migrations WHERE name = $1", connection))
        {
            done.Parameters.Add(new NpgsqlParameter { Value = OutboxMigration });
            if (await done.ExecuteScalarAsync(cancellationToken) is not null) return;
        }
        var total = 0;
        while (true)
        {
            await using var chunk = new NpgsqlCommand(LogOutboxChunkSql, connection);
            var logged = await chunk.ExecuteNonQueryAsync(cancellationToken);
            if (logged <= 0) break;
            total += logged;
        }
        await using (var record = new NpgsqlCommand("INSERT INTO inmemorydb_migrations (name) VALUES ($1) ON CONFLICT DO NOTHING", connection))
        {
            record.Parameters.Add(new NpgsqlParameter { Value = OutboxMigration });
            await record.ExecuteNonQueryAsync(cancellationToken);
        }
        LogOutboxesMigrated(logger, total);
    }

    private static async Task EnsureDatabaseAsync(string connectionString, ILogger logger, CancellationToken cancellationToken)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        var database = builder.Database;
        if (string.IsNullOrEmpty(database)) return;
        try
        {
            await using var probe = new NpgsqlConnection(connectionString);
            await probe.OpenAsync(cancellationToken);
            return;
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InvalidCatalogName)
        {
            // The database does not exist yet: create it from the maintenance database below.
        }

        builder.Database = "postgres";
        builder.Pooling = false;
        builder.Multiplexing = false;
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
        try
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
            LogDatabaseCreated(logger, database);
        }
        catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.DuplicateDatabase or PostgresErrorCodes.UniqueViolation)
        {
            // Another silo created it first (or is creating it: two CREATE DATABASE at once collide on the catalog index).
        }
    }

    private static string ReadScript()
    {
        var assembly = typeof(PostgresSchema).Assembly;
        var name = assembly.GetManifestResourceNames().Single(n => n.EndsWith("schema.sql", StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "PostgreSQL schema is ready in database {Database}")]
    private static partial void LogSchemaReady(ILogger logger, string database);

    [LoggerMessage(Level = LogLevel.Information, Message = "Logged {Count} events that stored outboxes of an earlier version held and the event log lacked (once per database)")]
    private static partial void LogOutboxesMigrated(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "Created PostgreSQL database {Database}")]
    private static partial void LogDatabaseCreated(ILogger logger, string database);
}
