#!/usr/bin/env bash
# Run once by the postgres image on its first start (an empty data volume; docker-compose.yml mounts this folder at
# /docker-entrypoint-initdb.d): the role the service connects as, and its database. The role owns the database (so the
# silos can create the schema in it at start-up) and is not a superuser: it cannot create databases or roles, read
# other databases, or run server-side programs. Its password comes from INMEMORYDB_DB_PASSWORD.
set -euo pipefail
: "${INMEMORYDB_DB_PASSWORD:?set INMEMORYDB_DB_PASSWORD (the service's PostgreSQL role)}"
psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres --set=password="$INMEMORYDB_DB_PASSWORD" <<'SQL'
CREATE ROLE inmemorydb LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'password';
CREATE DATABASE inmemorydb OWNER inmemorydb;
REVOKE ALL ON DATABASE inmemorydb FROM PUBLIC;
SQL
