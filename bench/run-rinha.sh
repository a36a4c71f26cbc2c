#!/usr/bin/env bash
# The Rinha de Backend 2023 Q3 stress test against the API as a persistent single node on a local PostgreSQL
# (fsync on, a fresh database per run), loaded over loopback by bench/InMemoryDb.Bench (command 'rinha').
# Arguments go to the load generator, e.g. a ~20 s smoke run:  bench/run-rinha.sh --rate-scale 0.2 --time-scale 0.1
# RINHA_TARGET=cluster loads deploy/cluster.sh's cluster instead (2 silos, 2 APIs behind nginx on CLUSTER_PORT, 9999);
# RINHA_TARGET=baseline loads bench/Baseline (the routes over a dictionary in one process: the floor of generator + machine).
# Ports: RINHA_PORT (HTTP, 5083), RINHA_SILO_PORT (11121), RINHA_GATEWAY_PORT (30021); PostgreSQL as in
# scripts/local-services.sh (INMEMORYDB_PG_PORT). Data: RINHA_DATA (../shared/rinha). The single node's database is
# dropped afterwards unless BENCH_KEEP_DB=1. BENCH_API_ENV: extra environment for the loaded process only (bench/lib.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
ROOT=$PWD
PORT=${RINHA_PORT:-5083}
DATA=${RINHA_DATA:-$ROOT/../shared/rinha}
for project in src/Api bench/InMemoryDb.Bench bench/Baseline; do dotnet build -c Release "$project" -v q -nologo | grep -E " error |rror\(s\)" || true; done
URL="http://127.0.0.1:$PORT"
if [ "${RINHA_TARGET:-single}" = cluster ]; then
  # deploy/cluster.sh: 2 silos (Redis clustering, PostgreSQL) and 2 APIs behind nginx; fresh data per run.
  export CLUSTER_PORT=${CLUSTER_PORT:-9999} CLUSTER_SERVICE_ID="rinha-$(date +%s)"
  dotnet build -c Release src/Silo -v q -nologo | grep -E " error |rror\(s\)" || true
  bench_at_exit "deploy/cluster.sh down"
  deploy/cluster.sh up
  URL="http://127.0.0.1:$CLUSTER_PORT"
  DESCRIPTION="cluster (deploy/cluster.sh: 2 silos, 2 APIs behind nginx on port $CLUSTER_PORT), service $CLUSTER_SERVICE_ID"
elif [ "${RINHA_TARGET:-single}" = baseline ]; then
  LOG="${TMPDIR:-/tmp}/inmemorydb-rinha-baseline-$PORT.log"
  bench_start "$PORT" "$LOG" bench/Baseline/bin/Release/net10.0/InMemoryDb.Baseline.dll
  DESCRIPTION="baseline (bench/Baseline: a dictionary and a linear scan in one process, nothing persisted)"
else
  bench_fresh_database inmemorydb_rinha
  export Orleans__SiloPort=${RINHA_SILO_PORT:-11121} Orleans__GatewayPort=${RINHA_GATEWAY_PORT:-30021}
  export Orleans__ClusterId="rinha-$$" Orleans__ServiceId="rinha"
  export Logging__LogLevel__Default=Warning
  LOG="${TMPDIR:-/tmp}/inmemorydb-rinha-api-$PORT.log"
  bench_start "$PORT" "$LOG" src/Api/bin/Release/net10.0/InMemoryDb.Api.dll --contentRoot "$ROOT/src/Api/bin/Release/net10.0"
  DESCRIPTION="single node, database $BENCH_DB; API log $LOG"
fi
mkdir -p bench/results
OUT="bench/results/rinha-$(date -u +%Y%m%d-%H%M%S).txt"
{
  echo "machine: $(bench_machine); $DESCRIPTION"
  dotnet bench/InMemoryDb.Bench/bin/Release/net10.0/InMemoryDb.Bench.dll rinha --url "$URL" --data "$DATA" "$@"
} | tee "$OUT"
echo "report written to $OUT"
