#!/usr/bin/env bash
# The Rinha de Backend 2023 Q3 stress test against the API as a persistent single node on a local PostgreSQL
# (fsync on, a fresh database per run), loaded over loopback by bench/InMemoryDb.Bench (command 'rinha').
# Arguments go to the load generator, e.g. a ~20 s smoke run:  bench/run-rinha.sh --rate-scale 0.2 --time-scale 0.1
# RINHA_TARGET=cluster loads deploy/cluster.sh's cluster instead (2 silos, 2 APIs behind nginx on CLUSTER_PORT, 9999);
# RINHA_TARGET=baseline loads bench/Baseline (the routes over a dictionary in one process: the floor of generator + machine).
# Ports: RINHA_PORT (HTTP, 5083), RINHA_SILO_PORT (11121), RINHA_GATEWAY_PORT (30021); PostgreSQL as in
# scripts/local-services.sh (INMEMORYDB_PG_PORT). Data: RINHA_DATA (../shared/rinha).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PORT=${RINHA_PORT:-5083}
DATA=${RINHA_DATA:-$ROOT/../shared/rinha}
scripts/local-services.sh start
for project in src/Api bench/InMemoryDb.Bench bench/Baseline; do dotnet build -c Release "$project" -v q -nologo | grep -E " error |rror\(s\)" || true; done
# Starts one local process (a .NET dll and its arguments) on $PORT, logging to $LOG; stopped on exit.
start_local() {
  dotnet "$@" --urls "http://127.0.0.1:$PORT" > "$LOG" 2>&1 &
  API=$!
  trap 'kill $API 2>/dev/null; wait $API 2>/dev/null || true' EXIT
  for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/health" >/dev/null && break; sleep 0.5; done
  curl -sf "http://127.0.0.1:$PORT/health" >/dev/null || { echo "$1 did not start; see $LOG" >&2; exit 1; }
  URL="http://127.0.0.1:$PORT"
}
if [ "${RINHA_TARGET:-single}" = cluster ]; then
  # deploy/cluster.sh: 2 silos (Redis clustering, PostgreSQL) and 2 APIs behind nginx; fresh data per run.
  export CLUSTER_PORT=${CLUSTER_PORT:-9999} CLUSTER_SERVICE_ID="rinha-$(date +%s)"
  dotnet build -c Release src/Silo -v q -nologo | grep -E " error |rror\(s\)" || true
  deploy/cluster.sh up
  trap 'deploy/cluster.sh down' EXIT
  URL="http://127.0.0.1:$CLUSTER_PORT"
  DESCRIPTION="cluster (deploy/cluster.sh: 2 silos, 2 APIs behind nginx on port $CLUSTER_PORT), service $CLUSTER_SERVICE_ID"
elif [ "${RINHA_TARGET:-single}" = baseline ]; then
  LOG="${TMPDIR:-/tmp}/inmemorydb-rinha-baseline-$PORT.log"
  start_local bench/Baseline/bin/Release/net10.0/InMemoryDb.Baseline.dll
  DESCRIPTION="baseline (bench/Baseline: a dictionary and a linear scan in one process, nothing persisted)"
else
  eval "$(scripts/local-services.sh env)"
  DB="inmemorydb_rinha_$(date +%s)"
  export ConnectionStrings__Postgres="${INMEMORYDB_TEST_POSTGRES/Database=inmemorydb_test/Database=$DB}"
  export Orleans__SiloPort=${RINHA_SILO_PORT:-11121} Orleans__GatewayPort=${RINHA_GATEWAY_PORT:-30021}
  export Orleans__ClusterId="rinha-$$" Orleans__ServiceId="rinha"
  export Logging__LogLevel__Default=Warning
  LOG="${TMPDIR:-/tmp}/inmemorydb-rinha-api-$PORT.log"
  start_local src/Api/bin/Release/net10.0/InMemoryDb.Api.dll --contentRoot "$ROOT/src/Api/bin/Release/net10.0"
  DESCRIPTION="single node, database $DB; API log $LOG"
fi
mkdir -p bench/results
OUT="bench/results/rinha-$(date -u +%Y%m%d-%H%M%S).txt"
{
  echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; PostgreSQL $(psql --version | awk '{print $3}'); $DESCRIPTION"
  dotnet bench/InMemoryDb.Bench/bin/Release/net10.0/InMemoryDb.Bench.dll rinha --url "$URL" --data "$DATA" "$@"
} | tee "$OUT"
echo "report written to $OUT"
