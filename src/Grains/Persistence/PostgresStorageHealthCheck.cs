using Npgsql;

namespace InMemoryDb.Grains.Persistence;

/// <summary>Healthy when PostgreSQL answers a query.</summary>
public sealed class PostgresStorageHealthCheck(NpgsqlDataSource dataSource) : IStorageHealthCheck
{
    /// <inheritdoc />
    public string Storage => "postgres";

    /// <inheritdoc />
    public async Task<string?> CheckAsync(CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand("SELECT 1 FROM orleansquery LIMIT 1");
        await command.ExecuteScalarAsync(cancellationToken);
        return null;
    }
}
