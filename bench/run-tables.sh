#!/usr/bin/env bash
# Issue 2's benchmark: the API as a persistent single node on a local PostgreSQL (fsync on), loaded over HTTP
# on loopback by bench/InMemoryDb.Bench. Arguments go to the load generator (e.g. --records 20000).
# BENCH_PORT (5080) sets the API port; the run's database is dropped afterwards unless BENCH_KEEP_DB=1.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
PORT=${BENCH_PORT:-5080}
for project in src/Api bench/InMemoryDb.Bench; do dotnet build -c Release "$project" -v q -nologo | grep -E " error |rror\(s\)" || true; done
bench_fresh_database inmemorydb_bench
# Seeding 100k users hashes 100k passwords: PBKDF2 at 1,000 iterations here (default 100,000) so the
# join benchmark measures the join, not the hashing. Nothing else depends on it.
export InMemoryDb__Passwords__Iterations=1000
export Logging__LogLevel__Default=Warning
bench_start "$PORT" "${TMPDIR:-/tmp}/inmemorydb-bench-api.log" src/Api/bin/Release/net10.0/InMemoryDb.Api.dll --contentRoot "$PWD/src/Api/bin/Release/net10.0"
echo "machine: $(bench_machine); database $BENCH_DB"
dotnet bench/InMemoryDb.Bench/bin/Release/net10.0/InMemoryDb.Bench.dll tables --url "http://127.0.0.1:$PORT" "$@"
