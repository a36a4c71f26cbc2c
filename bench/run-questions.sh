#!/usr/bin/env bash
# Issue 3's benchmark: seed 000's questions and answers on the API as a persistent single node on a local PostgreSQL
# (fsync on), loaded over HTTP on loopback by bench/InMemoryDb.Bench: 1,000 questions, then 100 users x 10 attempts
# each, all users at once. Arguments go to the load generator (e.g. --questions 100 --users 10 --attempts 3).
# Ports: BENCH_PORT (API, default 5081); Orleans__SiloPort / Orleans__GatewayPort if set; PostgreSQL per scripts/local-services.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT=${BENCH_PORT:-5081}
scripts/local-services.sh start
for project in src/Api bench/InMemoryDb.Bench; do dotnet build -c Release "$project" -v q -nologo | grep -E " error |rror\(s\)" || true; done
eval "$(scripts/local-services.sh env)"
DB="inmemorydb_bench_questions_$(date +%s)"
export ConnectionStrings__Postgres="${INMEMORYDB_TEST_POSTGRES/Database=inmemorydb_test/Database=$DB}"
export Logging__LogLevel__Default=Warning
dotnet src/Api/bin/Release/net10.0/InMemoryDb.Api.dll --urls "http://127.0.0.1:$PORT" > "${TMPDIR:-/tmp}/inmemorydb-bench-questions-api.log" 2>&1 &
API=$!
trap 'kill $API 2>/dev/null; wait $API 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.5; done
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; PostgreSQL $(psql --version | awk '{print $3}'); database $DB"
dotnet bench/InMemoryDb.Bench/bin/Release/net10.0/InMemoryDb.Bench.dll questions --url "http://127.0.0.1:$PORT" "$@"
