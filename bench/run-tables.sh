#!/usr/bin/env bash
# Issue 2's benchmark: the API as a persistent single node on a local PostgreSQL (fsync on), loaded over HTTP
# on loopback by bench/InMemoryDb.Bench. Arguments go to the load generator (e.g. --records 20000).
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${BENCH_PORT:-5080}
scripts/local-services.sh start
for project in src/Api bench/InMemoryDb.Bench; do dotnet build -c Release "$project" -v q -nologo | grep -E " error |rror\(s\)" || true; done
eval "$(scripts/local-services.sh env)"
DB="inmemorydb_bench_$(date +%s)"
export ConnectionStrings__Postgres="${INMEMORYDB_TEST_POSTGRES/Database=inmemorydb_test/Database=$DB}"
# Seeding 100k users hashes 100k passwords: PBKDF2 at 1,000 iterations here (default 100,000) so the
# join benchmark measures the join, not the hashing. Nothing else depends on it.
export InMemoryDb__Passwords__Iterations=1000
export Logging__LogLevel__Default=Warning
dotnet src/Api/bin/Release/net10.0/InMemoryDb.Api.dll --contentRoot "$PWD/src/Api/bin/Release/net10.0" --urls "http://127.0.0.1:$PORT" > "${TMPDIR:-/tmp}/inmemorydb-bench-api.log" 2>&1 &
API=$!
# The run's database is dropped afterwards (BENCH_KEEP_DB=1 keeps it): left behind, its 400,000 fresh rows are
# vacuumed by autovacuum in the background of the next run (a second run right after one measured a third fewer
# creates/s). A checkpoint before the run starts it with no dirty pages of an earlier one.
PSQL=(psql -q -h 127.0.0.1 -p "${INMEMORYDB_PG_PORT:-55432}" -U postgres -d postgres)
cleanup() {
  kill $API 2>/dev/null; wait $API 2>/dev/null || true
  [ "${BENCH_KEEP_DB:-0}" = 1 ] || "${PSQL[@]}" -c "DROP DATABASE IF EXISTS $DB" || true
}
trap cleanup EXIT
"${PSQL[@]}" -c CHECKPOINT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.5; done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; PostgreSQL $(psql --version | awk '{print $3}'); database $DB"
dotnet bench/InMemoryDb.Bench/bin/Release/net10.0/InMemoryDb.Bench.dll tables --url "http://127.0.0.1:$PORT" "$@"
