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
  env ${BENCH_API_ENV:-} dotnet "$@" --urls "http://127.0.0.1:$port" > "$log" 2>&1 &
  BENCH_PID=$!
  bench_at_exit "bench_stop $BENCH_PID"
  bench_wait_http "http://127.0.0.1:$port" || { echo "$1 did not start; see $log" >&2; return 1; }
}

# bench_wait_http URL: waits (at most 2 minutes) until URL/health answers.
bench_wait_http() {
  for _ in $(seq 1 240); do curl -sf "$1/health" >/dev/null && return 0; sleep 0.5; done
  echo "$1 did not answer" >&2
  return 1
}

# bench_machine: one line describing the machine and PostgreSQL, for the reports.
bench_machine() {
  echo "$(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; load $(cut -d' ' -f1-3 /proc/loadavg); PostgreSQL $(psql --version | awk '{print $3}')"
}
