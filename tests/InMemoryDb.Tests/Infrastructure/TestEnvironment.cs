namespace InMemoryDb.Tests.Infrastructure;

/// <summary>The real services the integration tests use, started by scripts/test.sh (the README's test command).</summary>
public static class TestEnvironment
{
    /// <summary>The PostgreSQL connection string for tests.</summary>
    public static string Postgres => Environment.GetEnvironmentVariable("INMEMORYDB_TEST_POSTGRES") is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException(
            "INMEMORYDB_TEST_POSTGRES is not set. Run the tests with ./scripts/test.sh, which starts PostgreSQL and Redis on loopback.");

    /// <summary>The Redis connection string for tests (the cluster's membership table).</summary>
    public static string Redis => Environment.GetEnvironmentVariable("INMEMORYDB_TEST_REDIS") is { Length: > 0 } value
        ? value
        : throw new InvalidOperationException(
            "INMEMORYDB_TEST_REDIS is not set. Run the tests with ./scripts/test.sh, which starts PostgreSQL and Redis on loopback.");
}
