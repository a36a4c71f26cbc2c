using Npgsql;
using NpgsqlTypes;

namespace InMemoryDb.Grains.Events;

/// <summary>
/// How events are numbered in PostgreSQL's <c>event_log</c> (docs/decisions/event-positions.md): an event's position is
/// the id of the transaction that wrote it, shifted left by <see cref="OrdinalBits"/>, plus its ordinal in that
/// transaction. Readers read only below <see cref="HorizonSql"/>, the oldest transaction still running: every
/// transaction below it has ended, every later one writes higher positions, so a reader paging by position never
/// passes an event that commits later. No lock is shared by writers.
/// </summary>
public static class EventPositions
{
    /// <summary>Bits of a position that number the events of one transaction.</summary>
    public const int OrdinalBits = 12;

    /// <summary>The most events one transaction may write (its ordinals are 0 to this minus one).</summary>
    public const int MaxPerTransaction = 1 << OrdinalBits;

    /// <summary>SQL: the position of the event of ordinal <paramref name="ordinal"/> (an SQL expression) in the current transaction.</summary>
    public static string PositionSql(string ordinal) => $"((pg_current_xact_id()::text::bigint << {OrdinalBits}) | ({ordinal}))";

    /// <summary>SQL: the first position a reader may not read yet (no event below it can still appear).</summary>
    public static readonly string HorizonSql = $"(pg_snapshot_xmin(pg_current_snapshot())::text::bigint << {OrdinalBits})";

    /// <summary>
    /// SQL inserting events into <c>event_log</c> (idempotent by event id), the one statement every writer of events uses.
    /// <c>$1</c> is the service id; the events' columns are the eight array parameters from <c>$<paramref name="first"/></c>
    /// on (bound by <see cref="AddEventParameters"/>); the first event's ordinal in its transaction is
    /// <paramref name="ordinalOffset"/> (an SQL expression); <paramref name="from"/>, when given, is a relation joined in
    /// (an event is inserted once per row of it: zero rows insert nothing).
    /// </summary>
    public static string InsertSql(int first, string ordinalOffset, string? from = null) => $"""
        INSERT INTO event_log (position, service_id, event_id, method, entity, key, content, correlation_id, source, created_at)
        SELECT {PositionSql($"{ordinalOffset} + e.ord - 1")}, $1, e.id, e.method, e.entity, e.key, e.content::jsonb, e.correlation_id, e.source, e.created_at
          FROM {(from is null ? "" : from + ", ")}unnest(${first}::uuid[], ${first + 1}::text[], ${first + 2}::text[], ${first + 3}::text[],
                      ${first + 4}::text[], ${first + 5}::text[], ${first + 6}::text[], ${first + 7}::timestamptz[])
               WITH ORDINALITY AS e(id, method, entity, key, content, correlation_id, source, created_at, ord)
         ORDER BY e.ord
        ON CONFLICT (event_id) DO NOTHING
        """;

    /// <summary>Binds <paramref name="events"/> as the eight array parameters of <see cref="InsertSql"/>.</summary>
    public static void AddEventParameters(NpgsqlParameterCollection parameters, IReadOnlyList<EventEnvelope> events)
    {
        parameters.Add(new NpgsqlParameter<Guid[]> { TypedValue = [.. events.Select(e => e.EventId)] });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. events.Select(e => e.Method)] });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. events.Select(e => e.Entity)] });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. events.Select(e => e.Key)] });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. events.Select(e => e.ContentJson)] });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. events.Select(e => e.CorrelationId)] });
        parameters.Add(new NpgsqlParameter<string[]> { TypedValue = [.. events.Select(e => e.Source)] });
        parameters.Add(new NpgsqlParameter<DateTime[]> { TypedValue = [.. events.Select(e => e.Timestamp.UtcDateTime)], NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
    }
}
