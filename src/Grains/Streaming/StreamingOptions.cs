namespace InMemoryDb.Grains.Streaming;

/// <summary>The streaming platform's settings (<c>InMemoryDb:Streaming</c>).</summary>
public sealed class StreamingOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "InMemoryDb:Streaming";

    /// <summary>A session idle longer than this counts as ended (default 30 minutes).</summary>
    public TimeSpan SessionIdleTimeout { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a request's reply stays readable at <c>/status/{correlation_id}</c> (default 7 days).</summary>
    public TimeSpan StatusRetention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Replies held in memory per status partition (16 partitions); older ones of writes are read from the event log.</summary>
    public int StatusMemoryPerPartition { get; set; } = 4096;
}
