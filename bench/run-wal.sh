#!/usr/bin/env bash
# What a durable PUT writes to PostgreSQL: WAL bytes per PUT and the share of state writes that were HOT updates
# (the new row version on the same page, no index entry written), at a fixed rate of PUTs of existing keys. Like
# bench/run-alloc.sh, a count that repeats from run to run, unlike latency on a shared machine.
#   bench/run-wal.sh                        # this tree's Release build: 40,000 PUTs of warm-up, then 20 s at 1,000/s
#   BENCH_API_DIR=/path/to/build bench/run-wal.sh
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
PORT=${BENCH_PORT:-5087}
DIR=${BENCH_API_DIR:-src/Api/bin/Release/net10.0}
[ -n "${BENCH_API_DIR:-}" ] || dotnet build -c Release src/Api -v q -nologo | grep -E " error |rror\(s\)" || true
dotnet build -c Release bench/InMemoryDb.Bench -v q -nologo | grep -E " error |rror\(s\)" || true
URL="http://127.0.0.1:$PORT"
trap bench_run_exit_actions EXIT
bench_fresh_database inmemorydb_bench_wal > /dev/null
export Logging__LogLevel__Default=Warning
bench_start "$PORT" "${TMPDIR:-/tmp}/inmemorydb-bench-wal-api.log" "$DIR/InMemoryDb.Api.dll"
bench_kv_warmup "$URL"
sql() { bench_psql -At -d "$BENCH_DB" -c "$1"; }
sql "SELECT pg_stat_reset()" > /dev/null
start=$(sql "SELECT pg_current_wal_lsn()")
$GEN probe --url "$URL" --method PUT --path /api --body '{"key":"k{i}","value":"w{i}"}' --keys 20000 --rate 1000 --seconds 20 --rounds 1
sleep 2   # the last statistics reach the shared counters within a second
echo "machine: $(bench_machine)"
echo "WAL bytes per PUT: $(sql "SELECT round(pg_wal_lsn_diff(pg_current_wal_lsn(), '$start') / 20000)")"
echo "orleansstorage: $(sql "SELECT n_tup_upd || ' updates, ' || round(100.0 * n_tup_hot_upd / greatest(n_tup_upd, 1), 1) || ' % HOT' FROM pg_stat_user_tables WHERE relname = 'orleansstorage'")"
