using Npgsql;

namespace InMemoryDb.Grains.Persistence;

/// <summary>The connection pool every PostgreSQL user in a silo shares (grain storage, event log, scans).</summary>
public static class PostgresDataSource
{
    /// <summary>
    /// The pool size when the connection string sets none (Npgsql's own default is 100). Each connection is a
    /// PostgreSQL backend process mapping the server's shared buffers; on a small server more backends only add
    /// processes to schedule and page mappings to scan: at 1,000 durable PUTs/s on the 2-core test VM, PUT p99 was
    /// 80-117 ms with 32, 56 ms with 12 and 46 ms with 6 (docs/benchmarks/README.md). A silo waits for a free connection
    /// instead; set <c>Maximum Pool Size</c> for a larger server.
    /// </summary>
    public const int DefaultMaxPoolSize = 8;

    /// <summary>
    /// Builds the pool from a connection string, with defaults tuned for many small statements: statements
    /// used repeatedly are prepared on the server (parsed and planned once per connection), connections are
    /// not reset when returned to the pool (the service sets no session state), and at most
    /// <see cref="DefaultMaxPoolSize"/> connections are opened. Settings given in the connection string win.
    /// Multiplexing stays off unless the string sets it: it puts many grains' writes into one round trip (a quarter more
    /// durable writes per second on the 2-core test VM) but adds latency at moderate load, and Npgsql 11 removes it.
    /// </summary>
    public static NpgsqlDataSource Create(string connectionString)
    {
        NpgsqlDataSourceBuilder builder;
        try
        {
            builder = new NpgsqlDataSourceBuilder(connectionString) { Name = "inmemorydb" };
        }
        catch (ArgumentException e)
        {
            // Npgsql names only the keyword ("Couldn't set max pool size"); say which setting holds it.
            throw new InvalidOperationException(
                $"ConnectionStrings:Postgres is not a valid Npgsql connection string: {e.Message}. Keywords: https://www.npgsql.org/doc/connection-string-parameters.html", e);
        }
        var settings = builder.ConnectionStringBuilder;
        if (!connectionString.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase)) settings.MaxAutoPrepare = 64;
        if (!connectionString.Contains("Auto Prepare Min Usages", StringComparison.OrdinalIgnoreCase)) settings.AutoPrepareMinUsages = 2;
        if (!connectionString.Contains("No Reset On Close", StringComparison.OrdinalIgnoreCase)) settings.NoResetOnClose = true;
        // A small PostgreSQL server degrades with many concurrent connections: under a burst, requests wait
        // for a pooled connection instead of opening more (and several silos stay under max_connections).
        if (!new[] { "Maximum Pool Size", "MaxPoolSize" }.Any(k => connectionString.Contains(k, StringComparison.OrdinalIgnoreCase)))
        {
            settings.MaxPoolSize = DefaultMaxPoolSize;
        }
        if (string.IsNullOrEmpty(settings.ApplicationName)) settings.ApplicationName = "inmemorydb";
        return builder.Build();
    }
}
