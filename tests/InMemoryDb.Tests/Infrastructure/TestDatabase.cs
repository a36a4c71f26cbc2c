using Npgsql;

namespace InMemoryDb.Tests.Infrastructure;

/// <summary>
/// A database of its own on the test PostgreSQL (not created here: the service, or the code under test, creates it on
/// first use), dropped on dispose so no test leaves one behind.
/// </summary>
public sealed class TestDatabase(string prefix) : IAsyncDisposable
{
    private readonly NpgsqlConnectionStringBuilder _builder = new(TestEnvironment.Postgres) { Database = prefix + Guid.NewGuid().ToString("N")[..8] };

    /// <summary>The connection string of this database.</summary>
    public string ConnectionString => _builder.ConnectionString;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await using var maintenance = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(TestEnvironment.Postgres) { Database = "postgres" }.ConnectionString);
        await maintenance.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_builder.Database}\" WITH (FORCE)", maintenance);
        await drop.ExecuteNonQueryAsync();
    }
}
