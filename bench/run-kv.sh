#!/usr/bin/env bash
# Issue 4's benchmark: seed 003's key-value API, same load, side by side on this machine:
#   1. baseline      bench/Baseline: the routes over a ConcurrentDictionary (the HTTP ceiling here)
#   1b. durable     bench/Baseline with PostgreSQL: each PUT also one upsert, answered once committed (the durable floor)
#   2. single node   src/Api co-hosting a silo, persistent on a local PostgreSQL (fsync on)
#   3. cluster       deploy/cluster.sh: 2 silos + 2 APIs behind nginx (Redis clustering, PostgreSQL)
# For 2 and 3 the cold keys are written, then the target is restarted, so each cold GET loads from PostgreSQL.
# Arguments go to the load generator (e.g. --keys 20000 --requests 200000 --rate 1000 --seconds 20 --concurrency 64).
# Ports: BENCH_BASELINE_PORT (5090), BENCH_PORT (5080), CLUSTER_PORT (9999) and deploy/cluster.sh's other ports.
# The single node's database is dropped afterwards unless BENCH_KEEP_DB=1.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
BASELINE_PORT=${BENCH_BASELINE_PORT:-5090}
PORT=${BENCH_PORT:-5080}
CLUSTER_PORT=${CLUSTER_PORT:-9999}
TARGETS=${BENCH_TARGETS:-baseline durable single cluster}
BENCH="dotnet bench/InMemoryDb.Bench/bin/Release/net10.0/InMemoryDb.Bench.dll kv"
LOGS=${TMPDIR:-/tmp}
RUN=$(date +%s)

for project in src/Api bench/InMemoryDb.Bench bench/Baseline; do dotnet build -c Release "$project" -v q -nologo | grep -E " error |rror\(s\)" || true; done
echo "machine: $(bench_machine)"

# start_single PHASE: the single node, logging to its own file per phase.
start_single() { bench_start "$PORT" "$LOGS/inmemorydb-bench-kv-api-$1.log" src/Api/bin/Release/net10.0/InMemoryDb.Api.dll; SINGLE=$BENCH_PID; }

for target in $TARGETS; do
  case $target in
    baseline)
      bench_start "$BASELINE_PORT" "$LOGS/inmemorydb-bench-baseline.log" bench/Baseline/bin/Release/net10.0/InMemoryDb.Baseline.dll
      BASELINE=$BENCH_PID
      $BENCH --url "http://127.0.0.1:$BASELINE_PORT" --name baseline --phase all "$@"
      bench_stop "$BASELINE" ;;
    durable)
      bench_fresh_database inmemorydb_bench_kv_durable
      bench_start "$BASELINE_PORT" "$LOGS/inmemorydb-bench-durable-baseline.log" bench/Baseline/bin/Release/net10.0/InMemoryDb.Baseline.dll
      BASELINE=$BENCH_PID
      $BENCH --url "http://127.0.0.1:$BASELINE_PORT" --name durable-baseline --phase all "$@"
      bench_stop "$BASELINE"
      unset ConnectionStrings__Postgres ;;
    single)
      bench_fresh_database inmemorydb_bench_kv
      export Logging__LogLevel__Default=Warning
      start_single seed
      $BENCH --url "http://127.0.0.1:$PORT" --name single --phase seed --prefix "s$RUN" "$@"
      bench_stop "$SINGLE"
      start_single run
      $BENCH --url "http://127.0.0.1:$PORT" --name single --phase run --prefix "s$RUN" "$@"
      bench_stop "$SINGLE"
      unset ConnectionStrings__Postgres ;;
    cluster)
      export CLUSTER_PORT CLUSTER_SERVICE_ID="bench-$RUN"
      bench_at_exit "deploy/cluster.sh down"
      deploy/cluster.sh up
      $BENCH --url "http://127.0.0.1:$CLUSTER_PORT" --name cluster --phase seed --prefix "c$RUN" "$@"
      deploy/cluster.sh down
      deploy/cluster.sh up
      $BENCH --url "http://127.0.0.1:$CLUSTER_PORT" --name cluster --phase run --prefix "c$RUN" "$@"
      deploy/cluster.sh down ;;
    *) echo "unknown target $target (baseline, durable, single, cluster)" >&2; exit 2 ;;
  esac
done
