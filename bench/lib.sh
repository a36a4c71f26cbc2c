# Shared by bench/run-*.sh (sourced, from the repository root): exit actions run in reverse order of
# registration, and a fresh PostgreSQL database per run that is dropped when the script exits.

BENCH_EXIT_ACTIONS=()

# bench_at_exit 'command': runs the command when the script exits (last registered, first run); failures are ignored.
bench_at_exit() { BENCH_EXIT_ACTIONS+=("$1"); }

bench_run_exit_actions() {
  local i
  for ((i = ${#BENCH_EXIT_ACTIONS[@]} - 1; i >= 0; i--)); do eval "${BENCH_EXIT_ACTIONS[i]}" || true; done
}
trap bench_run_exit_actions EXIT

# bench_psql ARGS: psql as the superuser of scripts/local-services.sh's PostgreSQL, on its maintenance database.
bench_psql() { psql -q -h 127.0.0.1 -p "${INMEMORYDB_PG_PORT:-55432}" -U postgres -d postgres "$@"; }

# bench_stop PID: stops a process started by the script and waits for it.
bench_stop() { kill "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }

# bench_fresh_database PREFIX: starts the local PostgreSQL, points ConnectionStrings__Postgres at a new database
# PREFIX_<unix time> (BENCH_DB, created here, so a target that creates no database works too; BENCH_PG_OPTIONS, e.g. MaxPoolSize=8, is appended to the
# connection string), checkpoints so the run starts with no dirty pages of an earlier one, and drops the database on
# exit unless BENCH_KEEP_DB=1. Left behind, a run's fresh rows are vacuumed by autovacuum in the background of the
# next run (a tables run right after another measured a third fewer creates/s).
# Register it before starting the processes that use the database: exit actions run in reverse, so they stop first.
bench_fresh_database() {
  scripts/local-services.sh start
  eval "$(scripts/local-services.sh env)"
  BENCH_DB="$1_$(date +%s)"
  export ConnectionStrings__Postgres="${INMEMORYDB_TEST_POSTGRES/Database=inmemorydb_test/Database=$BENCH_DB}${BENCH_PG_OPTIONS:+;$BENCH_PG_OPTIONS}"
  if [ "${BENCH_KEEP_DB:-0}" != 1 ]; then
    bench_at_exit "bench_psql -c 'DROP DATABASE IF EXISTS \"$BENCH_DB\" WITH (FORCE)'"
  fi
  bench_psql -c "CREATE DATABASE \"$BENCH_DB\""
  bench_psql -c CHECKPOINT
}

# The load generator (bench/InMemoryDb.Bench, built by the scripts in Release).
GEN="dotnet bench/InMemoryDb.Bench/bin/Release/net10.0/InMemoryDb.Bench.dll"

# bench_kv_warmup URL: 40,000 PUTs of keys k0..k19999 (32 in flight, unmeasured): every key's grain active and its
# row written, the write path past its JIT; the fixed-rate PUTs after it rewrite existing keys.
bench_kv_warmup() {
  $GEN closed --url "$1" --method PUT --path /api --body '{"key":"k{i}","value":"v{i}"}' --requests 20000 --concurrency 32 --rounds 2 > /dev/null
}

# bench_start PORT LOG DLL [ARGS...]: starts a .NET program listening on 127.0.0.1:PORT (log in LOG), stops it on
# exit, waits until it answers /health; its process id is left in BENCH_PID. BENCH_API_ENV adds environment to that
# process only, not to the generator (e.g. BENCH_API_ENV="DOTNET_GCgen0size=0x600000" for a side-by-side run).
bench_start() {
  local port=$1 log=$2
  shift 2
  # Refuse a port something else listens on: the health check would pass and the run would load that process.
  if (exec 3<> "/dev/tcp/127.0.0.1/$port") 2> /dev/null; then echo "port $port is already in use" >&2; return 1; fi
  env ${BENCH_API_ENV:-} dotnet "$@" --urls "http://127.0.0.1:$port" > "$log" 2>&1 &
  BENCH_PID=$!
  bench_at_exit "bench_stop $BENCH_PID"
  bench_wait_http "http://127.0.0.1:$port" "${BENCH_HEALTH_PATH:-/health}" && kill -0 "$BENCH_PID" 2> /dev/null \
    || { echo "$1 did not start; see $log" >&2; return 1; }
}

# bench_wait_http URL [PATH]: waits (at most 2 minutes) until URL/PATH (default /health) answers 2xx.
bench_wait_http() {
  for _ in $(seq 1 240); do curl -sf "$1${2:-/health}" >/dev/null && return 0; sleep 0.5; done
  echo "$1 did not answer" >&2
  return 1
}

# The shared yardsticks (../shared/anchors, README there): built from a copy outside the repository (the folder may
# be read-only, and this repository's Directory.Build.props and central package versions must not apply to them).
BENCH_ANCHORS=${BENCH_ANCHORS:-$PWD/../shared/anchors}
BENCH_ANCHORS_BUILD=${BENCH_ANCHORS_BUILD:-${TMPDIR:-/tmp}/inmemorydb-anchors}

# bench_build_anchor PROJECT: refreshes the copy and builds PROJECT (e.g. kv/KvSeedArch, RinhaPg) in Release.
bench_build_anchor() {
  mkdir -p "$BENCH_ANCHORS_BUILD"
  cp -rT --no-preserve=mode "$BENCH_ANCHORS" "$BENCH_ANCHORS_BUILD"
  dotnet build -c Release "$BENCH_ANCHORS_BUILD/$1" -v q -nologo | grep -E " error |rror\(s\)" || true
}

# bench_start_redis PORT: a private Redis on 127.0.0.1:PORT (nothing persisted), stopped on exit.
bench_start_redis() {
  redis-server --port "$1" --bind 127.0.0.1 --save '' --appendonly no --dir "${TMPDIR:-/tmp}" \
    > "${TMPDIR:-/tmp}/inmemorydb-bench-redis-$1.log" 2>&1 &
  bench_at_exit "bench_stop $!"
  for _ in $(seq 1 50); do redis-cli -p "$1" ping > /dev/null 2>&1 && return 0; sleep 0.1; done
  echo "Redis on port $1 did not start" >&2
  return 1
}

# bench_build_variants VARIANT...: builds in Release what the variants of bench_start_variant need, and the generator.
bench_build_variants() {
  local v projects=(bench/InMemoryDb.Bench)
  for v in "$@"; do
    case ${v%%@*} in
      here) projects+=(src/Api) ;;
      baseline) projects+=(bench/Baseline) ;;
      kvseedarch) bench_build_anchor kv/KvSeedArch ;;
    esac
  done
  printf '%s\n' "${projects[@]}" | sort -u | while read -r p; do
    dotnet build -c Release "$p" -v q -nologo | grep -E " error |rror\(s\)" || true
  done
}

# bench_start_variant PORT LOG VARIANT: starts one loaded process on 127.0.0.1:PORT with a fresh database (BENCH_DB;
# register nothing before it that must outlive it). VARIANT is one of
#   here         this tree's Release build of src/Api, a persistent single node (silo ports PORT+20000, PORT+21000)
#   DIR          a build folder holding InMemoryDb.Api.dll (e.g. of the code before a change), the same way
#   baseline     bench/Baseline with the database: the durable baseline (one autocommitted upsert per PUT)
#   kvseedarch   the anchors' KvSeedArch (seed 003's design: PostgreSQL upsert + Redis SET per PUT), with a private
#                Redis on PORT+51000 (run bench_build_variants first)
# and may end in @VAR=value,VAR=value: environment for the process (BENCH_* ones, e.g. BENCH_PG_OPTIONS, for this function).
bench_start_variant() {
  local port=$1 log=$2 variant=$3 dir=${3%%@*} settings="" s
  local BENCH_PG_OPTIONS=${BENCH_PG_OPTIONS:-} BENCH_API_ENV=${BENCH_API_ENV:-} BENCH_HEALTH_PATH=/health
  [[ "$variant" == *@* ]] && settings=${variant#*@}
  for s in ${settings//,/ }; do
    if [[ "$s" == BENCH_* ]]; then local "${s?}"; else BENCH_API_ENV+=" $s"; fi
  done
  bench_fresh_database "inmemorydb_bench_$port" > /dev/null
  local orleans=(--Orleans:SiloPort=$((port + 20000)) --Orleans:GatewayPort=$((port + 21000)) --Orleans:ClusterId="bench-$port")
  case $dir in
    here) bench_start "$port" "$log" src/Api/bin/Release/net10.0/InMemoryDb.Api.dll "${orleans[@]}" ;;
    baseline) bench_start "$port" "$log" bench/Baseline/bin/Release/net10.0/InMemoryDb.Baseline.dll ;;
    kvseedarch)
      bench_start_redis $((port + 51000))
      BENCH_API_ENV+=" KV_PG_CONNECTION=$ConnectionStrings__Postgres KV_REDIS_CONNECTION=127.0.0.1:$((port + 51000))"
      BENCH_HEALTH_PATH=/api/all
      bench_start "$port" "$log" "$BENCH_ANCHORS_BUILD/kv/KvSeedArch/bin/Release/net10.0/KvSeedArch.dll" ;;
    *) bench_start "$port" "$log" "$dir/InMemoryDb.Api.dll" "${orleans[@]}" ;;
  esac
}

# bench_wrk_put URL SECONDS CONNECTIONS: the anchors' wrk PUT load (kv/put.lua: 64-byte random values) on the keys
# k0..k19999 that bench_kv_warmup wrote; prints put.lua's summary line (KVBENCH requests=... rps=... p99_ms=...).
bench_wrk_put() {
  command -v wrk > /dev/null || { echo "wrk is missing (apt-get install -y wrk)" >&2; return 1; }
  KV_BENCH_DIR=$BENCH_ANCHORS/kv wrk -t2 -c"$3" -d"$2"s --timeout 10s -s bench/kv-put.lua "$1" -- 20000 | grep '^KVBENCH'
}

# bench_machine: one line describing the machine and PostgreSQL, for the reports.
bench_machine() {
  echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; load $(cut -d' ' -f1-3 /proc/loadavg); PostgreSQL $(psql --version | awk '{print $3}')"
}
