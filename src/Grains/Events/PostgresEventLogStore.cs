using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;
using Orleans.Configuration;

namespace InMemoryDb.Grains.Events;

/// <summary>
/// The event log in PostgreSQL's <c>event_log</c> table. Grains' events are inserted with their state by the grain
/// storage (<see cref="Persistence.PostgresGroupCommit"/>); <see cref="AppendAsync"/> is for events logged on their own
/// (the start-up migration of earlier outboxes, tools). Readers see only positions below the visibility horizon
/// (<see cref="EventPositions"/>), so paging by position never skips an event that commits later.
/// </summary>
public sealed class PostgresEventLogStore(NpgsqlDataSource dataSource, IOptions<ClusterOptions> cluster) : IEventLogStore
{
    // One statement per transaction of at most EventPositions.MaxPerTransaction events.
    private static readonly string InsertSql = EventPositions.InsertSql(first: 2, ordinalOffset: "0");

    private readonly string _serviceId = cluster.Value.ServiceId;

    /// <inheritdoc />
    public async Task AppendAsync(IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken = default)
    {
        foreach (var chunk in events.Chunk(EventPositions.MaxPerTransaction))
        {
            await using var insert = dataSource.CreateCommand(InsertSql);
            insert.Parameters.Add(new NpgsqlParameter { Value = _serviceId });
            EventPositions.AddEventParameters(insert.Parameters, chunk);
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LoggedEvent>> ReadAsync(long after, int limit, long maxBytes = long.MaxValue, CancellationToken cancellationToken = default)
    {
        // The byte budget is applied by the server (a running sum), so rows past it never travel.
        await using var command = dataSource.CreateCommand($"""
            SELECT position, event_id, method, entity, key, content, created_at, correlation_id, source
              FROM (SELECT position, event_id, method, entity, key, content::text AS content, created_at, correlation_id, source,
                           sum(octet_length(content::text)) OVER (ORDER BY position) AS running, row_number() OVER (ORDER BY position) AS n
                      FROM event_log
                     WHERE service_id = $1 AND position > $2 AND position < {EventPositions.HorizonSql}
                     ORDER BY position
                     LIMIT $3) page
             WHERE running <= $4 OR n = 1
             ORDER BY position
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = _serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = after });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        command.Parameters.Add(new NpgsqlParameter { Value = maxBytes });
        return await ReadEventsAsync(command, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<long> LastPositionAsync(CancellationToken cancellationToken = default)
    {
        // Below the horizon as ReadAsync reads: a transaction still running writes positions above it, so reading on
        // after this one skips nothing. The index on (service_id, position) answers it from one entry.
        await using var command = dataSource.CreateCommand($"""
            SELECT coalesce(max(position), 0) FROM event_log WHERE service_id = $1 AND position < {EventPositions.HorizonSql}
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = _serviceId });
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <inheritdoc />
    public async Task<EventRange> MeasureAsync(long after, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT count(*)::int, coalesce(sum(octet_length(content::text)), 0)::bigint, coalesce(max(position), $2)
              FROM (SELECT position, content FROM event_log
                     WHERE service_id = $1 AND position > $2 AND position < {EventPositions.HorizonSql}
                     ORDER BY position LIMIT $3) page
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = _serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = after });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new EventRange(reader.GetInt32(0), reader.GetInt64(1), reader.GetInt64(2));
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<LoggedEvent>> FindByCorrelationAsync(string correlationId, int limit, CancellationToken cancellationToken = default)
    {
        // The predicate on source repeats the partial index's (ix_event_log_streaming_correlation), so the index serves it.
        await using var command = dataSource.CreateCommand("""
            SELECT position, event_id, method, entity, key, content::text, created_at, correlation_id, source
              FROM event_log
             WHERE correlation_id = $1 AND service_id = $2 AND source LIKE 'streaming-%'
             ORDER BY position
             LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = correlationId });
        command.Parameters.Add(new NpgsqlParameter { Value = _serviceId });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await ReadEventsAsync(command, cancellationToken);
    }

    /// <summary>The events a query selecting (position, event_id, method, entity, key, content, created_at, correlation_id, source) returns.</summary>
    private static async Task<IReadOnlyList<LoggedEvent>> ReadEventsAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var events = new List<LoggedEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            events.Add(new LoggedEvent(
                reader.GetInt64(0),
                new EventEnvelope(
                    reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                    reader.GetFieldValue<DateTimeOffset>(6), reader.GetString(7), reader.GetString(8))));
        }
        return events;
    }
}
