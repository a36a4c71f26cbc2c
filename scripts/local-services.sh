#!/usr/bin/env bash
# A private PostgreSQL and Redis on loopback, for the tests, the benchmarks and local runs.
#   scripts/local-services.sh start   installs what is missing, starts both, waits until they answer
#   scripts/local-services.sh stop    stops both
#   scripts/local-services.sh env     prints the connection settings as shell exports
# Ports: INMEMORYDB_PG_PORT (55432), INMEMORYDB_REDIS_PORT (56379). Data: $TMPDIR/inmemorydb-services-<pg port>.
set -euo pipefail

PG_PORT=${INMEMORYDB_PG_PORT:-55432}
REDIS_PORT=${INMEMORYDB_REDIS_PORT:-56379}
STATE=${INMEMORYDB_SERVICES_DIR:-${TMPDIR:-/tmp}/inmemorydb-services-$PG_PORT}
PGDATA_DIR=$STATE/pgdata

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }
apt_install() {
  echo "installing $* with apt-get" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null 2>&1 \
    || { as_root apt-get update -q >/dev/null 2>&1; as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >/dev/null; }
}
pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$dir" ]; then apt_install postgresql; dir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1); fi
  echo "$dir"
}
# PostgreSQL refuses to run as root: run it as the 'postgres' user then.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

start_postgres() {
  local bin; bin=$(pg_bin)
  mkdir -p "$STATE"
  if [ ! -s "$PGDATA_DIR/PG_VERSION" ]; then
    mkdir -p "$PGDATA_DIR"
    [ "$(id -u)" = 0 ] && chown -R postgres:postgres "$STATE"
    as_pg "$bin/initdb" -D "$PGDATA_DIR" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if as_pg "$bin/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then return 0; fi
  as_pg "$bin/pg_ctl" -D "$PGDATA_DIR" -l "$STATE/postgres.log" -w -t 60 start -o \
    "-p $PG_PORT -k $PGDATA_DIR -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=256MB -c fsync=on -c synchronous_commit=on ${INMEMORYDB_PG_SETTINGS:-}" >/dev/null
  echo "PostgreSQL listening on 127.0.0.1:$PG_PORT (data $PGDATA_DIR)" >&2
}

start_redis() {
  command -v redis-server >/dev/null || apt_install redis-server
  # The cluster-script test runs deploy/cluster.sh, which puts nginx in front of the API nodes.
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || apt_install nginx
  mkdir -p "$STATE"
  if [ -f "$STATE/redis.pid" ] && kill -0 "$(cat "$STATE/redis.pid")" 2>/dev/null; then return 0; fi
  redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
    --pidfile "$STATE/redis.pid" --logfile "$STATE/redis.log" --dir "$STATE" >/dev/null
  for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  echo "Redis listening on 127.0.0.1:$REDIS_PORT" >&2
}

stop_all() {
  if [ -s "$PGDATA_DIR/PG_VERSION" ]; then as_pg "$(pg_bin)/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null 2>&1 || true; fi
  if [ -f "$STATE/redis.pid" ]; then kill "$(cat "$STATE/redis.pid")" 2>/dev/null || true; rm -f "$STATE/redis.pid"; fi
}

case "${1:-}" in
  start) start_postgres; start_redis ;;
  stop) stop_all ;;
  env)
    echo "export INMEMORYDB_TEST_POSTGRES='Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=inmemorydb_test'"
    echo "export INMEMORYDB_TEST_REDIS='127.0.0.1:$REDIS_PORT'" ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
