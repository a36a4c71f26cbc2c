using Npgsql;

namespace InMemoryDb.Grains.Persistence;

/// <summary>The connection pool every PostgreSQL user in a silo shares (grain storage, event log, scans).</summary>
public static class PostgresDataSource
{
    /// <summary>
    /// Builds the pool from a connection string, with defaults tuned for many small statements: statements
    /// used repeatedly are prepared on the server (parsed and planned once per connection), and connections
    /// are not reset when returned to the pool (the service sets no session state). Settings given in the
    /// connection string win.
    /// </summary>
    public static NpgsqlDataSource Create(string connectionString)
    {
        var builder = new NpgsqlDataSourceBuilder(connectionString) { Name = "inmemorydb" };
        var given = new NpgsqlConnectionStringBuilder(connectionString);
        var settings = builder.ConnectionStringBuilder;
        if (!connectionString.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase)) settings.MaxAutoPrepare = 64;
        if (!connectionString.Contains("Auto Prepare Min Usages", StringComparison.OrdinalIgnoreCase)) settings.AutoPrepareMinUsages = 2;
        if (!connectionString.Contains("No Reset On Close", StringComparison.OrdinalIgnoreCase)) settings.NoResetOnClose = true;
        if (string.IsNullOrEmpty(given.ApplicationName)) settings.ApplicationName = "inmemorydb";
        return builder.Build();
    }
}
