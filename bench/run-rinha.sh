#!/usr/bin/env bash
# The Rinha de Backend 2023 Q3 stress test against the API as a persistent single node on a local PostgreSQL
# (fsync on, a fresh database per run), loaded over loopback by bench/InMemoryDb.Bench (command 'rinha').
# Arguments go to the load generator, e.g. a ~20 s smoke run:  bench/run-rinha.sh --rate-scale 0.2 --time-scale 0.1
# RINHA_TARGET=cluster loads deploy/cluster.sh's cluster instead (2 silos, 2 APIs behind nginx on CLUSTER_PORT, 9999);
# RINHA_TARGET=baseline loads bench/Baseline (the routes over a dictionary and a trigram index in one process, nothing
# persisted: the floor of generator + machine); RINHA_TARGET=rinhapg the anchors' RinhaPg (../shared/anchors: inserts
# batched after the 201, trigram GIN search) on its own PostgreSQL (pg-start.sh, port RINHAPG_PG_PORT, 5499; wiped after).
# Several targets run one after the other with the same arguments (same --seed: the same arrivals and payloads), each
# on a fresh process, with a summary and p99 ratios to rinhapg:  RINHA_TARGET="single rinhapg" bench/run-rinha.sh --seed 1901
# Ports: RINHA_PORT (HTTP, 5083), RINHA_SILO_PORT (11121), RINHA_GATEWAY_PORT (30021); PostgreSQL as in
# scripts/local-services.sh (INMEMORYDB_PG_PORT). Data: RINHA_DATA (../shared/rinha). The single node's database is
# dropped afterwards unless BENCH_KEEP_DB=1. BENCH_API_ENV: extra environment for the loaded process only (bench/lib.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
ROOT=$PWD
PORT=${RINHA_PORT:-5083}
DATA=${RINHA_DATA:-$ROOT/../shared/rinha}
TARGETS=${RINHA_TARGET:-single}
for project in src/Api bench/InMemoryDb.Bench bench/Baseline; do dotnet build -c Release "$project" -v q -nologo | grep -E " error |rror\(s\)" || true; done
[[ " $TARGETS " == *" rinhapg "* ]] && bench_build_anchor RinhaPg
[[ " $TARGETS " == *" cluster "* ]] && { dotnet build -c Release src/Silo -v q -nologo | grep -E " error |rror\(s\)" || true; }
mkdir -p bench/results
STAMP=$(date -u +%Y%m%d-%H%M%S)

# run_target TARGET: starts TARGET, loads it, writes its report (in a subshell: its exit actions stop it).
run_target() {
  trap bench_run_exit_actions EXIT
  URL="http://127.0.0.1:$PORT"
  case $1 in
    cluster)
      # deploy/cluster.sh: 2 silos (Redis clustering, PostgreSQL) and 2 APIs behind nginx; fresh data per run.
      export CLUSTER_PORT=${CLUSTER_PORT:-9999} CLUSTER_SERVICE_ID="rinha-$(date +%s)"
      bench_at_exit "deploy/cluster.sh down"
      deploy/cluster.sh up
      URL="http://127.0.0.1:$CLUSTER_PORT"
      DESCRIPTION="cluster (deploy/cluster.sh: 2 silos, 2 APIs behind nginx on port $CLUSTER_PORT), service $CLUSTER_SERVICE_ID" ;;
    baseline)
      bench_start "$PORT" "${TMPDIR:-/tmp}/inmemorydb-rinha-baseline-$PORT.log" bench/Baseline/bin/Release/net10.0/InMemoryDb.Baseline.dll
      DESCRIPTION="baseline (bench/Baseline: a dictionary and a trigram index in one process, nothing persisted)" ;;
    rinhapg)
      local pgport=${RINHAPG_PG_PORT:-5499} anchor=$BENCH_ANCHORS_BUILD/RinhaPg
      export PGDATA_DIR=${TMPDIR:-/tmp}/inmemorydb-rinhapg-pgdata-$pgport PGPORT=$pgport PORT RINHA_RESET=1
      export RINHA_DB="Host=127.0.0.1;Port=$pgport;Database=rinha;Username=postgres;Maximum Pool Size=16;Timeout=30;Command Timeout=30;Max Auto Prepare=16;Auto Prepare Min Usages=2;No Reset On Close=true"
      bash "$anchor/pg-start.sh" > /dev/null
      bench_at_exit "bash '$anchor/pg-stop.sh' --wipe > /dev/null"
      BENCH_HEALTH_PATH=/contagem-pessoas bench_start "$PORT" "${TMPDIR:-/tmp}/inmemorydb-rinha-rinhapg-$PORT.log" "$anchor/bin/Release/net10.0/RinhaPg.dll"
      DESCRIPTION="RinhaPg (the anchors' contest-style API: batched inserts after the 201, trigram GIN), PostgreSQL on $pgport" ;;
    single)
      bench_fresh_database inmemorydb_rinha
      export Orleans__SiloPort=${RINHA_SILO_PORT:-11121} Orleans__GatewayPort=${RINHA_GATEWAY_PORT:-30021}
      export Orleans__ClusterId="rinha-$$" Orleans__ServiceId="rinha"
      export Logging__LogLevel__Default=Warning
      LOG="${TMPDIR:-/tmp}/inmemorydb-rinha-api-$PORT.log"
      bench_start "$PORT" "$LOG" src/Api/bin/Release/net10.0/InMemoryDb.Api.dll --contentRoot "$ROOT/src/Api/bin/Release/net10.0"
      DESCRIPTION="single node, database $BENCH_DB; API log $LOG" ;;
    *) echo "unknown target $1 (single, cluster, baseline, rinhapg)" >&2; return 2 ;;
  esac
  OUT="bench/results/rinha-$STAMP-$1.txt"
  echo "machine: $(bench_machine); $DESCRIPTION" > "$OUT"
  shift
  dotnet bench/InMemoryDb.Bench/bin/Release/net10.0/InMemoryDb.Bench.dll rinha --url "$URL" --data "$DATA" "$@" | tee -a "$OUT"
}

declare -A P99 SEARCH
status=0
for target in $TARGETS; do
  (run_target "$target" "$@") || status=1
  OUT="bench/results/rinha-$STAMP-$target.txt"
  P99[$target]=$(grep -o '^count=.* p99=[0-9.]*' "$OUT" | grep -o '[0-9.]*$' || echo nan)
  SEARCH[$target]=$(awk '/^busca válida/ && $3 ~ /^[0-9]+$/ { print $11; exit }' "$OUT")
  echo "report written to $OUT"
done
echo "summary ($*):"
for target in $TARGETS; do
  echo "  $target: $(grep '^count=' "bench/results/rinha-$STAMP-$target.txt" || echo 'no result'); search p99=${SEARCH[$target]:-?}ms"
  if [ "$target" != rinhapg ] && [ -n "${P99[rinhapg]:-}" ]; then
    awk -v t="$target" -v p="${P99[$target]}" -v pr="${P99[rinhapg]}" -v s="${SEARCH[$target]}" -v sr="${SEARCH[rinhapg]}" \
      'BEGIN { printf "  %s / rinhapg: p99 %.2fx, search p99 %.2fx\n", t, p / pr, s / sr }'
  fi
done
exit $status
