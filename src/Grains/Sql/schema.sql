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

-- Keys of indexed entities are '{scope}/{id}'. An index partition reloads its entities with these two
-- functions; inmemorydb_key_partition must stay equal to Partitioning.Of in src/Grains/Partitioning.cs.
CREATE OR REPLACE FUNCTION inmemorydb_key_scope(k text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT split_part(k, '/', 1) $$;

CREATE OR REPLACE FUNCTION inmemorydb_key_partition(k text) RETURNS integer
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    AS $$ SELECT ('x' || substr(md5(substr(k, strpos(k, '/') + 1)), 1, 1))::bit(4)::integer $$;

-- Point reads and writes use the primary key; this index serves only partition scans (a lookup by key can
-- use just its first two columns, so the planner never prefers it to the primary key).
CREATE INDEX IF NOT EXISTS ix_orleansstorage_scope
    ON orleansstorage (serviceid, graintypestring, inmemorydb_key_scope(grainidextensionstring), inmemorydb_key_partition(grainidextensionstring));

-- Writes a state. Always returns one row: the new version, or the caller's version (null for a first
-- write) when the row changed underneath it, which Orleans turns into an InconsistentStateException.
CREATE OR REPLACE FUNCTION inmemorydb_write_state(
    _grainidhash integer, _grainidn0 bigint, _grainidn1 bigint, _graintypehash integer,
    _graintypestring varchar, _grainidextensionstring varchar, _serviceid varchar,
    _grainstateversion integer, _payloadbinary bytea)
    RETURNS TABLE (newgrainstateversion integer)
    LANGUAGE plpgsql
AS $$
DECLARE
    _version integer;
BEGIN
    IF _grainstateversion IS NULL THEN
        INSERT INTO orleansstorage (grainidhash, grainidn0, grainidn1, graintypehash, graintypestring,
                                    grainidextensionstring, serviceid, payloadbinary, modifiedon, version)
        VALUES (_grainidhash, _grainidn0, _grainidn1, _graintypehash, _graintypestring,
                coalesce(_grainidextensionstring, ''), _serviceid, _payloadbinary, now() AT TIME ZONE 'utc', 1)
        ON CONFLICT ON CONSTRAINT orleansstorage_key DO NOTHING
        RETURNING version INTO _version;
    ELSE
        UPDATE orleansstorage
           SET payloadbinary = _payloadbinary, modifiedon = now() AT TIME ZONE 'utc', version = version + 1
         WHERE serviceid = _serviceid AND graintypestring = _graintypestring
           AND grainidextensionstring = coalesce(_grainidextensionstring, '')
           AND grainidn0 = _grainidn0 AND grainidn1 = _grainidn1
           AND version = _grainstateversion
        RETURNING version INTO _version;
    END IF;
    RETURN QUERY SELECT coalesce(_version, _grainstateversion);
END
$$;

INSERT INTO orleansquery (querykey, querytext) VALUES
('WriteToStorageKey', '
    SELECT newgrainstateversion FROM inmemorydb_write_state(
        @GrainIdHash, @GrainIdN0, @GrainIdN1, @GrainTypeHash, @GrainTypeString,
        @GrainIdExtensionString, @ServiceId, @GrainStateVersion, @PayloadBinary)'),
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
    RETURNING version AS newgrainstateversion')
ON CONFLICT (querykey) DO UPDATE SET querytext = EXCLUDED.querytext;

-- 2. The event log: every acknowledged change, once (unique event id), in log order (position).
CREATE TABLE IF NOT EXISTS event_log
(
    position       bigserial    NOT NULL,
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

CREATE INDEX IF NOT EXISTS ix_event_log_service_position ON event_log (service_id, position);

-- Seed 000's table shape, as a view over the log.
CREATE OR REPLACE VIEW dados (id, metodo, conteudo, criado_em) AS
    SELECT position, method, content, created_at FROM event_log;
