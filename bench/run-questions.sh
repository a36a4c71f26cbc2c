#!/usr/bin/env bash
# Issue 3's benchmark: seed 000's questions and answers on the API as a persistent single node on a local PostgreSQL
# (fsync on), loaded over HTTP on loopback by bench/InMemoryDb.Bench: 1,000 questions, then 100 users x 10 attempts
# each, all users at once. Arguments go to the load generator (e.g. --questions 100 --users 10 --attempts 3).
# Ports: BENCH_PORT (API, default 5081); Orleans__SiloPort / Orleans__GatewayPort if set; PostgreSQL per scripts/local-services.sh.
# The run's database is dropped afterwards unless BENCH_KEEP_DB=1.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
PORT=${BENCH_PORT:-5081}
for project in src/Api bench/InMemoryDb.Bench; do dotnet build -c Release "$project" -v q -nologo | grep -E " error |rror\(s\)" || true; done
bench_fresh_database inmemorydb_bench_questions
export Logging__LogLevel__Default=Warning
bench_start "$PORT" "${TMPDIR:-/tmp}/inmemorydb-bench-questions-api.log" src/Api/bin/Release/net10.0/InMemoryDb.Api.dll
echo "machine: $(bench_machine); database $BENCH_DB"
dotnet bench/InMemoryDb.Bench/bin/Release/net10.0/InMemoryDb.Bench.dll questions --url "http://127.0.0.1:$PORT" "$@"
