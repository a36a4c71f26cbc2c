#!/usr/bin/env bash
# The cluster under faults, repeated: runs the cluster fault tests (tests/InMemoryDb.Tests/Cluster/ClusterFaultTests.cs:
# two silos, two API nodes, 16 clients on 24 keys, every operation checked) ROUNDS times each, with PRELOAD keys stored
# first, and collects per run the operations, failures and the longest time without a successful operation per node.
#   bench/run-faults.sh [ROUNDS (5)] [PRELOAD (100000)] [SCENARIOS ("Pause Kill")]
# Needs the test PostgreSQL and Redis (scripts/local-services.sh start; eval "$(scripts/local-services.sh env)").
# Output: bench/results/<date>-faults/{summary.txt,run-*.log}
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${1:-5}
PRELOAD=${2:-100000}
read -r -a SCENARIOS <<< "${3:-Pause Kill}"
OUT=$ROOT/bench/results/$(date +%F)-faults
mkdir -p "$OUT"
: "${INMEMORYDB_TEST_POSTGRES:?start the test services: eval \"\$(scripts/local-services.sh env)\"}"
dotnet build "$ROOT/tests/InMemoryDb.Tests" -c Release -v q -nologo >/dev/null
SUMMARY=$OUT/summary.txt
echo "# $(date -Is) rounds=$ROUNDS preload=$PRELOAD scenarios=${SCENARIOS[*]} commit=$(git -C "$ROOT" rev-parse --short HEAD)" | tee -a "$SUMMARY"
for round in $(seq 1 "$ROUNDS"); do
  for scenario in "${SCENARIOS[@]}"; do
    case $scenario in
      Pause) filter="FullyQualifiedName~ClusterFaultTests.PauseOfASilo" ;;
      Kill) filter="FullyQualifiedName~ClusterFaultTests.KillOfASilo" ;;
      Restart) filter="FullyQualifiedName~ClusterFaultTests.RestartOfEachSilo" ;;
      *) echo "unknown scenario $scenario" >&2; exit 2 ;;
    esac
    log=$OUT/run-$round-$scenario.log
    if FAULT_PRELOAD_KEYS=$PRELOAD dotnet test "$ROOT/tests/InMemoryDb.Tests" -c Release --no-build --filter "$filter" \
        --logger "console;verbosity=detailed" > "$log" 2>&1; then result=passed; else result=FAILED; fi
    line=$(grep -E "operations=" "$log" | head -n 1 | sed 's/^ *//')
    echo "round $round $scenario $result: $line" | tee -a "$SUMMARY"
  done
done
