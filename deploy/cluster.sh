#!/usr/bin/env bash
# The cluster deployment on this machine, without Docker, from the built binaries, on loopback:
# PostgreSQL (its own data folder), Redis, 2 silos clustered through Redis, 2 APIs (Orleans clients) and nginx
# in front of them on 127.0.0.1:$CLUSTER_PORT.
#   deploy/cluster.sh up              builds the binaries if missing, installs nginx/redis with apt if missing, starts
#                                     whatever of it is not running, waits until the API answers through nginx
#   deploy/cluster.sh down            stops everything it started
#   deploy/cluster.sh status          what runs
#   deploy/cluster.sh restart NAME    NAME = silo1|silo2|api1|api2: SIGTERM (SIGKILL after CLUSTER_STOP_TIMEOUT s), then
#                                     starts it again into the running cluster and waits until it is up (a silo: its
#                                     log says it started and its gateway accepts connections; an API: /health is 200)
#   deploy/cluster.sh kill NAME       SIGKILL, for fault drills (the cluster declares a killed silo dead by itself)
#   deploy/cluster.sh start NAME      starts one stopped process into the running cluster and waits until it is up
# State, logs and pid files (.cluster/<name>.pid for silo1 silo2 api1 api2 nginx postgres redis) live in .cluster/
# (CLUSTER_STATE: another folder, e.g. for a test's own cluster).
# Silos and APIs talk Orleans over mutual TLS: the first 'up' makes a CA and a member certificate in .cluster/certs
# (deploy/make-certs.sh, openssl installed with apt if missing); delete that folder for new ones.
# Ports (environment): CLUSTER_PORT (9999, nginx), CLUSTER_PG_PORT (5433), CLUSTER_REDIS_PORT (6380),
# CLUSTER_SILO_PORTS (11111 11112), CLUSTER_GATEWAY_PORTS (30000 30001), CLUSTER_API_PORTS (5081 5082).
# CLUSTER_SERVICE_ID (inmemorydb) scopes the data. The Orleans cluster id (.cluster/cluster-id) is fresh only on a cold
# start: while any of silo1 silo2 api1 api2 runs (a warm cluster), 'up', 'start' and 'restart' join that cluster id.
# CLUSTER_BUILD=1 rebuilds. CLUSTER_STOP_TIMEOUT (20): seconds from SIGTERM to SIGKILL when stopping a process.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
STATE=${CLUSTER_STATE:-$ROOT/.cluster}
PORT=${CLUSTER_PORT:-9999}
PG_PORT=${CLUSTER_PG_PORT:-5433}
REDIS_PORT=${CLUSTER_REDIS_PORT:-6380}
read -r -a SILO_PORTS <<< "${CLUSTER_SILO_PORTS:-11111 11112}"
read -r -a GATEWAY_PORTS <<< "${CLUSTER_GATEWAY_PORTS:-30000 30001}"
read -r -a API_PORTS <<< "${CLUSTER_API_PORTS:-5081 5082}"
SERVICE_ID=${CLUSTER_SERVICE_ID:-inmemorydb}
CONFIGURATION=Release
SILO_DLL=$ROOT/src/Silo/bin/$CONFIGURATION/net10.0/InMemoryDb.Silo.dll
API_DLL=$ROOT/src/Api/bin/$CONFIGURATION/net10.0/InMemoryDb.Api.dll
PGDATA_DIR=$STATE/pgdata
CERTS=$STATE/certs
STOP_TIMEOUT=${CLUSTER_STOP_TIMEOUT:-20}
MEMBERS=(silo1 silo2 api1 api2)

log() { echo "cluster: $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else "$@"; fi; }
apt_install() {
  log "installing $* with apt-get"
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
alive() { [ -f "$STATE/$1.pid" ] && kill -0 "$(cat "$STATE/$1.pid")" 2>/dev/null; }

ensure_tools() {
  command -v redis-server >/dev/null || apt_install redis-server
  command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || apt_install nginx
  if [ ! -f "$SILO_DLL" ] || [ ! -f "$API_DLL" ] || [ "${CLUSTER_BUILD:-0}" = 1 ]; then
    log "building the binaries ($CONFIGURATION)"
    dotnet build "$ROOT/src/Api/Api.csproj" -c "$CONFIGURATION" -v q -nologo >/dev/null
  fi
}

ensure_certs() {
  if [ ! -s "$CERTS/ca.crt" ] || [ ! -s "$CERTS/member.crt" ] || [ ! -s "$CERTS/member.key" ]; then
    log "making the Orleans TLS certificates in $CERTS"
    "$ROOT/deploy/make-certs.sh" "$CERTS" 2>&1 | sed 's/^/cluster: /' >&2
  fi
}

start_postgres() {
  local bin; bin=$(pg_bin)
  if [ ! -s "$PGDATA_DIR/PG_VERSION" ]; then
    mkdir -p "$PGDATA_DIR"
    [ "$(id -u)" = 0 ] && chown postgres:postgres "$PGDATA_DIR"
    as_pg "$bin/initdb" -D "$PGDATA_DIR" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_pg "$bin/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w -t 60 start -o \
      "-p $PG_PORT -k $PGDATA_DIR -c listen_addresses=127.0.0.1 -c max_connections=300" >/dev/null
  fi
  head -n 1 "$PGDATA_DIR/postmaster.pid" > "$STATE/postgres.pid"
  log "postgres on 127.0.0.1:$PG_PORT (pid $(cat "$STATE/postgres.pid"), data $PGDATA_DIR)"
}

start_redis() {
  if ! alive redis; then
    redis-server --port "$REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
      --pidfile "$STATE/redis.pid" --logfile "$STATE/redis.log" --dir "$STATE" >/dev/null
    for _ in $(seq 1 50); do redis-cli -p "$REDIS_PORT" ping >/dev/null 2>&1 && break; sleep 0.1; done
  fi
  log "redis on 127.0.0.1:$REDIS_PORT (pid $(cat "$STATE/redis.pid"))"
}

# start_dotnet NAME DLL [VAR=VALUE...]: runs the binary from its folder (so its appsettings.json applies).
start_dotnet() {
  local name=$1 dll=$2; shift 2
  if alive "$name"; then log "$name already runs (pid $(cat "$STATE/$name.pid"))"; return; fi
  [ -s "$STATE/$name.log" ] && mv "$STATE/$name.log" "$STATE/$name.previous.log"   # the last run's log, for a restart
  (cd "$(dirname "$dll")" && exec env "$@" nohup dotnet "$dll" > "$STATE/$name.log" 2>&1) &
  echo $! > "$STATE/$name.pid"
}

# A warm cluster: any silo or API still runs, so its cluster id (and membership in Redis) is the one to join.
warm() { local name; for name in "${MEMBERS[@]}"; do alive "$name" && return 0; done; return 1; }

# The one definition of how each silo and API runs: member_env NAME prints its environment, one VAR=VALUE a line.
member_env() {
  local name=$1 cluster_id i
  cluster_id=$(cat "$STATE/cluster-id")
  i=$((${name: -1} - 1))
  echo "ConnectionStrings__Redis=127.0.0.1:$REDIS_PORT"
  echo "Orleans__ClusterId=$cluster_id"
  echo "Orleans__ServiceId=$SERVICE_ID"
  echo "Orleans__AdvertisedIP=127.0.0.1"
  echo "Orleans__ResponseTimeout=00:00:10"
  echo "Orleans__Tls__CertificatePath=$CERTS/member.crt"
  echo "Orleans__Tls__KeyPath=$CERTS/member.key"
  echo "Orleans__Tls__CaPath=$CERTS/ca.crt"
  case "$name" in
    silo*)
      echo "ConnectionStrings__Postgres=Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=inmemorydb"
      echo "Orleans__SiloPort=${SILO_PORTS[$i]}"
      echo "Orleans__GatewayPort=${GATEWAY_PORTS[$i]}" ;;
    api*)
      echo "InMemoryDb__Mode=client"
      echo "Urls=http://127.0.0.1:${API_PORTS[$i]}" ;;
  esac
}

start_member() { # start_member NAME: starts silo1|silo2|api1|api2 with its settings (member_env) unless it runs
  local name=$1 dll env=()
  case "$name" in silo*) dll=$SILO_DLL ;; *) dll=$API_DLL ;; esac
  mapfile -t env < <(member_env "$name")
  start_dotnet "$name" "$dll" "${env[@]}"
}

# The line a silo logs once it is active in the cluster: src/Silo/Hosting/StartupAnnouncer.cs, at the lifecycle
# stage Active, which follows the silo's joining the membership table as Active (Orleans logs nothing at
# Information level then).
SILO_STARTED='Persistent mode: grain state and the event log are stored in PostgreSQL'

wait_member() { # wait_member NAME: a silo: its log says it started and its gateway accepts connections; an API: /health 200
  local name=$1 i
  i=$((${name: -1} - 1))
  case "$name" in
    silo*)
      wait_for "$name" 120 member_running_and "$name" grep -q "$SILO_STARTED" "$STATE/$name.log"
      wait_for "$name gateway" 30 bash -c "exec 3<>/dev/tcp/127.0.0.1/${GATEWAY_PORTS[$i]}" ;;
    api*)
      wait_for "$name" 120 member_running_and "$name" health_200 "http://127.0.0.1:${API_PORTS[$i]}/health" ;;
  esac
}

health_200() { [ "$(curl -s -o /dev/null -w '%{http_code}' "$1")" = 200 ]; }

# member_running_and NAME COMMAND...: fails fast (exit 3, ends wait_for) when the process has exited.
member_running_and() { local name=$1; shift; alive "$name" || return 3; "$@"; }

wait_for() { # wait_for WHAT SECONDS COMMAND...: runs COMMAND until it succeeds; exit status 3 gives up at once
  local what=$1 seconds=$2 rc; shift 2
  for _ in $(seq 1 $((seconds * 4))); do
    rc=0; "$@" >/dev/null 2>&1 || rc=$?
    [ "$rc" = 0 ] && return 0
    [ "$rc" = 3 ] && { log "$what exited; see $STATE/$what.log"; return 1; }
    sleep 0.25
  done
  log "$what did not come up in ${seconds}s; see $STATE/*.log"; return 1
}

up() {
  mkdir -p "$STATE"
  ensure_tools
  ensure_certs
  start_postgres
  start_redis
  if [ -s "$STATE/cluster-id" ] && warm; then
    log "joining the running cluster $(cat "$STATE/cluster-id")"
  else
    echo "inmemorydb-$(date +%s)" > "$STATE/cluster-id"
  fi
  local cluster_id name; cluster_id=$(cat "$STATE/cluster-id")
  for name in silo1 silo2; do start_member "$name"; done
  for name in silo1 silo2; do wait_member "$name"; done
  for name in api1 api2; do start_member "$name"; done
  for name in api1 api2; do wait_member "$name"; done

  if ! alive nginx; then
    mkdir -p "$STATE/nginx-temp"
    sed -e "s#__STATE__#$STATE#g" -e "s#__PORT__#$PORT#g" -e "s#__API1__#${API_PORTS[0]}#g" -e "s#__API2__#${API_PORTS[1]}#g" \
      "$ROOT/deploy/nginx/local.conf.template" > "$STATE/nginx.conf"
    "$(command -v nginx || echo /usr/sbin/nginx)" -c "$STATE/nginx.conf" -p "$STATE" -e "$STATE/nginx-error.log"
  fi
  wait_for nginx 30 curl -sf "http://127.0.0.1:$PORT/health"
  log "up: http://127.0.0.1:$PORT (APIs on ${API_PORTS[*]}, silos on ${SILO_PORTS[*]} over Orleans TLS, cluster id $cluster_id)"
  curl -s "http://127.0.0.1:$PORT/health"; echo
}

stop_pid() { # stop_pid NAME: SIGTERM, then SIGKILL after CLUSTER_STOP_TIMEOUT s
  local name=$1 pid
  [ -f "$STATE/$name.pid" ] || return 0
  pid=$(cat "$STATE/$name.pid")
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 $((STOP_TIMEOUT * 4))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    if kill -0 "$pid" 2>/dev/null; then
      kill -KILL "$pid" 2>/dev/null || true
      log "$name (pid $pid) did not stop in ${STOP_TIMEOUT}s after SIGTERM: killed"
    fi
    log "stopped $name (pid $pid)"
  fi
  rm -f "$STATE/$name.pid"
}

member_name() { # member_name NAME: refuses anything but silo1 silo2 api1 api2
  case "${1:-}" in silo1|silo2|api1|api2) ;; *) echo "usage: $0 $2 silo1|silo2|api1|api2" >&2; exit 2 ;; esac
}

# Starting one process joins the running cluster: PostgreSQL, Redis and at least one other silo or API must run.
start_one() {
  local name=$1
  alive postgres && alive redis || { log "PostgreSQL or Redis is not running: use 'up'"; return 1; }
  if ! [ -s "$STATE/cluster-id" ] || ! warm; then
    log "no silo or API runs (a cold cluster): use 'up', which starts it with a fresh cluster id"; return 1
  fi
  log "starting $name into cluster $(cat "$STATE/cluster-id")"
  start_member "$name"
  wait_member "$name"
  log "$name up (pid $(cat "$STATE/$name.pid"))"
}

start_cmd() {
  member_name "${1:-}" start
  if alive "$1"; then log "$1 already runs (pid $(cat "$STATE/$1.pid"))"; return 0; fi
  start_one "$1"
}

restart_cmd() {
  member_name "${1:-}" restart
  local name=$1
  # Checked before stopping: the process is restarted into the cluster the others keep running.
  alive postgres && alive redis || { log "PostgreSQL or Redis is not running: use 'up'"; return 1; }
  if alive "$name"; then log "stopping $name (pid $(cat "$STATE/$name.pid"), SIGTERM)"; stop_pid "$name"; else log "$name was not running"; fi
  start_one "$name"
}

kill_cmd() {
  member_name "${1:-}" kill
  local name=$1 pid
  alive "$name" || { log "$name is not running"; return 0; }
  pid=$(cat "$STATE/$name.pid")
  kill -KILL "$pid"
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  rm -f "$STATE/$name.pid"
  log "killed $name (pid $pid, SIGKILL)"
}

down() {
  [ -d "$STATE" ] || { log "nothing to stop"; return 0; }
  stop_pid nginx
  stop_pid api1 & stop_pid api2 & wait
  stop_pid silo1 & stop_pid silo2 & wait
  stop_pid redis
  if [ -s "$PGDATA_DIR/PG_VERSION" ]; then
    as_pg "$(pg_bin)/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >/dev/null 2>&1 && log "stopped postgres" || true
  fi
  rm -f "$STATE/postgres.pid"
}

status() {
  for name in postgres redis silo1 silo2 api1 api2 nginx; do
    if alive "$name"; then echo "$name: running (pid $(cat "$STATE/$name.pid"))"; else echo "$name: stopped"; fi
  done
}

case "${1:-}" in
  up) up ;;
  down) down ;;
  status) status ;;
  restart) restart_cmd "${2:-}" ;;
  kill) kill_cmd "${2:-}" ;;
  start) start_cmd "${2:-}" ;;
  *) echo "usage: $0 up|down|status|restart NAME|kill NAME|start NAME (NAME = silo1|silo2|api1|api2)" >&2; exit 2 ;;
esac
