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

    [LoggerMessage(Level = LogLevel.Information, Message = "Created PostgreSQL database {Database}")]
    private static partial void LogDatabaseCreated(ILogger logger, string database);
}
