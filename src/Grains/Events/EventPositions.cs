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
    public const string HorizonSql = "(pg_snapshot_xmin(pg_current_snapshot())::text::bigint << 12)";
}
