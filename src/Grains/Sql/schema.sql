-- InMemoryDb schema for PostgreSQL. Applied at every silo start, idempotently, under an advisory lock.
--
-- 1. Orleans ADO.NET grain persistence. Orleans reads its SQL from orleansquery by key and binds
--    parameters and result columns by name; this is our own implementation of that contract
--    (the official scripts are not shipped in the NuGet packages). Rows are keyed by
--    (service, state name, grain key): every grain class uses a state name of its own.
CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey  varchar(64)   NOT NULL,
    querytext varchar(8000) NOT NULL,
    CONSTRAINT orleansquery_key PRIMARY KEY (querykey)
);

CREATE TABLE IF NOT EXISTS orleansstorage
(
    grainidhash            integer       NOT NULL,
    grainidn0              bigint        NOT NULL,
    grainidn1              bigint        NOT NULL,
    graintypehash          integer       NOT NULL,
    graintypestring        varchar(512)  NOT NULL,
    grainidextensionstring varchar(512)  NOT NULL DEFAULT '',
    serviceid              varchar(150)  NOT NULL,
    payloadbinary          bytea,
    modifiedon             timestamp     NOT NULL,
    version                integer       NOT NULL,
    CONSTRAINT orleansstorage_key PRIMARY KEY (serviceid, graintypestring, grainidextensionstring, grainidn0, grainidn1)
);

-- Every write of a state rewrites its row. A quarter of each page left free keeps the new version on the same page
-- (a HOT update: no index entry written, less WAL): at 1,000 PUT/s 99.9 % of updates were HOT, against 88 % at
-- 100 % fill, where the others wrote both indexes anew. Set once (the ALTER takes a lock at every start otherwise).
DO $fill$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_class WHERE oid = 'orleansstorage'::regclass AND 'fillfactor=75' = ANY (reloptions)) THEN
        ALTER TABLE orleansstorage SET (fillfactor = 75);
    END IF;
END
$fill$;

-- Keys of indexed entities are '{scope}/{id}'. An index partition reloads its entities with these two
-- functions; inmemorydb_key_partition must stay equal to Partitioning.Of in src/Grains/Partitioning.cs.
CREATE OR REPLACE FUNCTION inmemorydb_key_scope(k text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT split_part(k, '/', 1) $$;

CREATE OR REPLACE FUNCTION inmemorydb_key_partition(k text) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT ('x' || substr(md5(substr(k, strpos(k, '/') + 1)), 1, 1))::bit(4)::integer $$;

-- Point reads and writes use the primary key; this index serves only partition scans. It leads with the key's
-- scope and partition so that a lookup by key cannot use it: an earlier version led with (serviceid,
-- graintypestring), which the planner chose for point lookups when it misjudged their selectivity, turning each
-- read or write into a scan of every row of the grain type (it is dropped here).
DROP INDEX IF EXISTS ix_orleansstorage_scope;
CREATE INDEX IF NOT EXISTS ix_orleansstorage_partition
    ON orleansstorage (inmemorydb_key_scope(grainidextensionstring), inmemorydb_key_partition(grainidextensionstring), serviceid, graintypestring);

-- (The first version of this schema wrote through a plpgsql function; plain SQL below is cheaper per call.)
DROP FUNCTION IF EXISTS inmemorydb_write_state(integer, bigint, bigint, integer, varchar, varchar, varchar, integer, bytea);

-- The texts are stored with their whitespace collapsed: Npgsql rewrites a query's named parameters on every
-- execution, copying the whole text, so a shorter text is less work per state read and write.
INSERT INTO orleansquery (querykey, querytext)
SELECT k, btrim(regexp_replace(t, '\s+', ' ', 'g')) FROM (VALUES
-- Writes a state in one statement. Without a version it inserts (nothing if the row exists); with one it
-- updates only that version. It always returns one row: the new version, or the caller's version (null
-- for an insert) when nothing was written, which Orleans turns into an InconsistentStateException.
('WriteToStorageKey', '
    WITH updated AS (
        UPDATE orleansstorage
           SET payloadbinary = @PayloadBinary, modifiedon = now() AT TIME ZONE ''utc'', version = version + 1
         WHERE @GrainStateVersion IS NOT NULL
           AND serviceid = @ServiceId AND graintypestring = @GrainTypeString
           AND grainidextensionstring = coalesce(@GrainIdExtensionString, '''')
           AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1 AND version = @GrainStateVersion
        RETURNING version),
    inserted AS (
        INSERT INTO orleansstorage (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring,
                                    grainidextensionstring, serviceid, payloadbinary, modifiedon, version)
        SELECT @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
               coalesce(@GrainIdExtensionString, ''''), @ServiceId, @PayloadBinary, now() AT TIME ZONE ''utc'', 1
         WHERE @GrainStateVersion IS NULL
        ON CONFLICT ON CONSTRAINT orleansstorage_key DO NOTHING
        RETURNING version)
    SELECT coalesce((SELECT version FROM updated), (SELECT version FROM inserted), @GrainStateVersion) AS newgrainstateversion'),
('ReadFromStorageKey', '
    SELECT payloadbinary, (now() AT TIME ZONE ''utc'') AS modifiedon, version
      FROM orleansstorage
     WHERE serviceid = @ServiceId AND graintypestring = @GrainTypeString
       AND grainidextensionstring = coalesce(@GrainIdExtensionString, '''')
       AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
       AND grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash'),
('ClearStorageKey', '
    UPDATE orleansstorage
       SET payloadbinary = NULL, modifiedon = now() AT TIME ZONE ''utc'', version = version + 1
     WHERE serviceid = @ServiceId AND graintypestring = @GrainTypeString
       AND grainidextensionstring = coalesce(@GrainIdExtensionString, '''')
       AND grainidn0 = @GrainIdN0 AND grainidn1 = @GrainIdN1
       AND grainidhash = @GrainIdHash AND graintypehash = @GrainTypeHash
       AND version = @GrainStateVersion
    RETURNING version AS newgrainstateversion')) AS q (k, t)
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- 2. The event log: every acknowledged change, once (unique event id), in log order (position). An event is
--    inserted by the statement that writes its grain's state, in the same transaction (src/Grains/Persistence/
--    PostgresGroupCommit.cs), so an acknowledged change has its event durable by construction.
--
--    Positions: (xid8 of the writing transaction << 12) | ordinal of the event within that transaction (< 4096).
--    A transaction's events are contiguous and in order, and positions grow with transaction ids. A reader reads
--    only positions below (pg_snapshot_xmin(pg_current_snapshot()) << 12): every transaction below that horizon
--    has ended, and every later one has a higher transaction id, so no event can ever appear below a position a
--    reader has passed (docs/decisions/event-positions.md). Positions fit a JSON number exactly (< 2^53) until the
--    cluster's 2^41st transaction. Events of databases written before this scheme keep their small positions.
CREATE TABLE IF NOT EXISTS event_log
(
    position       bigint       NOT NULL,
    service_id     varchar(150) NOT NULL,
    event_id       uuid         NOT NULL,
    method         varchar(64)  NOT NULL,
    entity         varchar(128) NOT NULL,
    key            varchar(512) NOT NULL,
    content        jsonb        NOT NULL,
    correlation_id varchar(128) NOT NULL,
    source         varchar(600) NOT NULL,
    created_at     timestamptz  NOT NULL,
    CONSTRAINT event_log_pkey PRIMARY KEY (position),
    CONSTRAINT event_log_event_id UNIQUE (event_id)
);

-- Databases of the earlier scheme numbered events from a sequence; every position is now given by its writer.
-- (Checked first: an ALTER takes the table's strongest lock, at every start otherwise.)
DO $positions$
BEGIN
    IF EXISTS (SELECT 1 FROM information_schema.columns
                WHERE table_schema = current_schema() AND table_name = 'event_log' AND column_name = 'position'
                  AND column_default IS NOT NULL) THEN
        ALTER TABLE event_log ALTER COLUMN position DROP DEFAULT;
        DROP SEQUENCE IF EXISTS event_log_position_seq;
    END IF;
END
$positions$;

CREATE INDEX IF NOT EXISTS ix_event_log_service_position ON event_log (service_id, position);

-- The streaming platform's replies to writes are their events: GET /status/{correlation_id} finds them by correlation
-- id. Only the platform's grains' events are indexed (their grain types start with 'streaming-'), so other writes pay
-- nothing for it. The pattern must stay equal to StreamingKeys.GrainTypePrefix and PostgresEventLogStore's query.
CREATE INDEX IF NOT EXISTS ix_event_log_streaming_correlation ON event_log (correlation_id) WHERE source LIKE 'streaming-%';

-- One-time data migrations done in this database (see PostgresSchema).
CREATE TABLE IF NOT EXISTS inmemorydb_migrations
(
    name       varchar(128) NOT NULL PRIMARY KEY,
    applied_at timestamptz  NOT NULL DEFAULT now()
);

-- Seed 000's table shape, as a view over the log.
CREATE OR REPLACE VIEW dados (id, metodo, conteudo, criado_em) AS
    SELECT position, method, content, created_at FROM event_log;

-- The write fence of a silo (docs/decisions/fencing-and-deadlines.md): a batch of state writes begins with it and
-- commits nothing once the server's clock has passed the lease the silo last confirmed, in this server's time.
CREATE OR REPLACE FUNCTION inmemorydb_fence(valid_until timestamptz) RETURNS void
LANGUAGE plpgsql AS
$fence$
BEGIN
    IF clock_timestamp() >= valid_until THEN
        RAISE EXCEPTION 'the silo''s membership lease ended at % (server time %): write refused', valid_until, clock_timestamp()
            USING ERRCODE = 'IMDBF';
    END IF;
END
$fence$;
