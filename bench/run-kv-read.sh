#!/usr/bin/env bash
# Hot key-value GETs beside the anchors' KvSeedArch (seed 003's design: a Redis GET per read), the reads-at-scale
# targets (docs/benchmarks/README.md#hot-reads-at-scale):
#  (A) for each key count in KVREAD_KEYS (default "2000 100000"): every variant started fresh on its own fresh database,
#      the keys k000000.. loaded with 64-byte values (16 in flight), then KVREAD_ROUNDS (default 3) interleaved rounds
#      (order rotating) of the anchors' get.lua under wrk -t2 -c64: 4 s warm-up, 10 s measured; medians, ratios to
#      the first variant;
#  (B) with KVREAD_BENCHSH=1 (default), the anchors' bench.sh as it ships (N=10000, 15 s, its own preload by curl)
#      on each variant, KVREAD_BENCHSH_RUNS (default 2) times, A B A B.
#   bench/run-kv-read.sh                          # kvseedarch and this tree's build
#   bench/run-kv-read.sh kvseedarch here /path/to/old/build   # variants as in bench/lib.sh (bench_start_variant)
# Results: bench/results/kv-read-<time>.txt. Ports 5101, 5102, ...
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
[ $# -eq 0 ] && set -- kvseedarch here
NAMES=("$@")
KEYS_LIST=${KVREAD_KEYS-2000 100000}
ROUNDS=${KVREAD_ROUNDS:-3}
BENCHSH=${KVREAD_BENCHSH:-1}
BENCHSH_RUNS=${KVREAD_BENCHSH_RUNS:-2}
command -v wrk > /dev/null || { echo "wrk is missing (apt-get install -y wrk)" >&2; exit 2; }
bench_build_variants "$@"
mkdir -p bench/results
OUT=bench/results/kv-read-$(date -u +%Y%m%dT%H%M%SZ).txt
export Logging__LogLevel__Default=Warning
VALUE=$(printf 'v%.0s' $(seq 58))
echo "machine: $(bench_machine); variants: $*; keys: $KEYS_LIST; $ROUNDS rounds" | tee "$OUT"
median() { printf '%s\n' $1 | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

# start_all: every variant on its own port, fresh database; sets URLS and PIDS_OF.
start_all() {
  URLS=()
  local port=5101 v
  for v in "$@"; do
    bench_start_variant "$port" "${TMPDIR:-/tmp}/inmemorydb-kvread-$port.log" "$v"
    URLS+=("http://127.0.0.1:$port")
    port=$((port + 1))
  done
}

for keys in $KEYS_LIST; do
  (
    trap bench_run_exit_actions EXIT
    start_all "$@"
    for url in "${URLS[@]}"; do
      $GEN closed --url "$url" --method PUT --path /api --body "{\"key\":\"k{i6}\",\"value\":\"$VALUE{i6}\"}" --keys "$keys" --requests "$keys" --concurrency 16 --rounds 1 | tail -n 1 | sed "s|^|load $url: |" | tee -a "$OUT"
    done
    declare -A RPS P99
    for ((round = 0; round < ROUNDS; round++)); do
      for ((j = 0; j < $#; j++)); do
        k=$(((j + round) % $#))
        url=${URLS[k]}
        KV_BENCH_DIR=$BENCH_ANCHORS/kv wrk -t2 -c64 -d4s --timeout 5s -s "$BENCH_ANCHORS/kv/get.lua" "$url" -- "$keys" > /dev/null
        line=$(KV_BENCH_DIR=$BENCH_ANCHORS/kv wrk -t2 -c64 -d10s --timeout 5s --latency -s "$BENCH_ANCHORS/kv/get.lua" "$url" -- "$keys" | grep '^KVBENCH')
        name=${NAMES[k]}
        echo "keys $keys round $((round + 1)) $name: $line" | tee -a "$OUT"
        RPS[$k]="${RPS[$k]:-} $(echo "$line" | grep -o 'rps=[0-9]*' | cut -d= -f2)"
        P99[$k]="${P99[$k]:-} $(echo "$line" | grep -o 'p99_ms=[0-9.]*' | cut -d= -f2)"
      done
    done
    base=$(median "${RPS[0]}")
    for ((k = 0; k < $#; k++)); do
      m=$(median "${RPS[$k]}")
      name=${NAMES[k]}
      echo "median keys=$keys $name: $m GET/s, p99 $(median "${P99[$k]}") ms ($(awk -v m="$m" -v b="$base" 'BEGIN{printf "%.2f", m/b}')x the first)" | tee -a "$OUT"
    done
  )
done

if [ "$BENCHSH" = 1 ]; then
  for ((run = 1; run <= BENCHSH_RUNS; run++)); do
    for v in "$@"; do
      (
        trap bench_run_exit_actions EXIT
        bench_start_variant 5101 "${TMPDIR:-/tmp}/inmemorydb-kvread-benchsh.log" "$v"
        dir=$(mktemp -d)
        LABEL="$v run $run" OUT_DIR=$dir WAIT_IDLE=30 "$BENCH_ANCHORS/kv/bench.sh" http://127.0.0.1:5101 > "$dir/stdout" 2>&1 || true
        grep -hE "^\s+(get|put) " "$dir/summary.txt" | sed "s|^ *|bench.sh $v run $run: |" | tee -a "$OUT" || tail -n 5 "$dir/stdout"
      )
    done
  done
fi
echo "results: $OUT"
