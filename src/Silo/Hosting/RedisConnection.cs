using StackExchange.Redis;

namespace InMemoryDb.Silo.Hosting;

/// <summary>Redis connection options for clustering.</summary>
internal static class RedisConnection
{
    /// <summary>
    /// Parses a connection string; unless it says otherwise, connecting keeps retrying in the background
    /// (<c>abortConnect=false</c>) so a process can start while Redis is still coming up.
    /// </summary>
    public static ConfigurationOptions Options(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        if (!connectionString.Contains("abortConnect", StringComparison.OrdinalIgnoreCase)) options.AbortOnConnectFail = false;
        return options;
    }
}
