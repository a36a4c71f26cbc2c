using Npgsql;

/// <summary>
/// The durable baseline's writes: one autocommitted upsert per operation (a delete keeps its row with a null value),
/// one round trip, on a pool of 8 connections (as the node's default). What any durable HTTP key-value service pays here.
/// </summary>
internal sealed class DurableBaseline(NpgsqlDataSource dataSource)
{
    private const string Upsert = "INSERT INTO baseline_kv (key, value, written_at) VALUES ($1, $2, now()) "
        + "ON CONFLICT (key) DO UPDATE SET value = excluded.value, written_at = excluded.written_at";

    /// <summary>The durable baseline on <paramref name="connectionString"/> (an existing database; its table created), or null without one.</summary>
    public static async Task<DurableBaseline?> OpenAsync(string? connectionString)
    {
        if (string.IsNullOrEmpty(connectionString)) return null;
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Maximum Pool Size", StringComparison.OrdinalIgnoreCase)
            && !connectionString.Contains("MaxPoolSize", StringComparison.OrdinalIgnoreCase))
        {
            builder.MaxPoolSize = 8;
        }
        var dataSource = NpgsqlDataSource.Create(builder.ConnectionString);
        await using var command = dataSource.CreateCommand(
            "CREATE TABLE IF NOT EXISTS baseline_kv (key text PRIMARY KEY, value text, written_at timestamptz NOT NULL)");
        await command.ExecuteNonQueryAsync();
        return new DurableBaseline(dataSource);
    }

    /// <summary>Stores <paramref name="value"/> (null: deleted) for <paramref name="key"/>; returns once committed.</summary>
    public async Task WriteAsync(string key, string? value)
    {
        await using var command = dataSource.CreateCommand(Upsert);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.Text });
        await command.ExecuteNonQueryAsync();
    }
}
