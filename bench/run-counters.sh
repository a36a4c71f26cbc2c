#!/usr/bin/env bash
# Runtime counters under the fixed-rate PUT load of bench/run-ab.sh, variant beside variant (interleaved): what the
# GC and the thread pool do while the p99 is measured. Per variant and repetition (COUNTERS_REPS, default 2): a fresh
# process on a fresh database, 40,000 PUTs of warm-up, then COUNTERS_SECONDS (default 30) s of PUTs of existing keys
# at COUNTERS_RATE (default 1000)/s while dotnet-counters samples System.Runtime every second. Reported per run: the
# probe's p50/p99, GCs per generation, % time in GC (mean and max of the 1 s samples), allocation MB/s, thread pool
# queue length (max), and the pause time of GCs (ms per second, mean).
#   bench/run-counters.sh /tmp/build-old here
# Results: bench/results/counters-<time>.txt (and the raw CSVs beside it).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
[ $# -ge 1 ] || { sed -n '2,9p' "$0" >&2; exit 2; }
REPS=${COUNTERS_REPS:-2}
SECS=${COUNTERS_SECONDS:-30}
RATE=${COUNTERS_RATE:-1000}
COUNTERS=${DOTNET_COUNTERS:-$(command -v dotnet-counters || echo ~/.dotnet/tools/dotnet-counters)}
bench_build_variants "$@"
mkdir -p bench/results
STAMP=$(date -u +%Y%m%dT%H%M%SZ)
OUT=bench/results/counters-$STAMP.txt
export Logging__LogLevel__Default=Warning
echo "machine: $(bench_machine); $REPS runs per variant; $SECS s at $RATE PUT/s" | tee "$OUT"
VARIANTS=("$@")
for ((rep = 0; rep < REPS; rep++)); do
  for ((j = 0; j < ${#VARIANTS[@]}; j++)); do
    v=${VARIANTS[(j + rep) % ${#VARIANTS[@]}]}
    csv=bench/results/counters-$STAMP-$rep-$j.csv
    (
      trap bench_run_exit_actions EXIT
      bench_start_variant 5087 "${TMPDIR:-/tmp}/inmemorydb-bench-counters.log" "$v"
      bench_kv_warmup http://127.0.0.1:5087
      "$COUNTERS" collect -p "$BENCH_PID" --counters System.Runtime --refresh-interval 1 --format csv -o "$csv" --duration "00:00:$((SECS + 3))" > /dev/null 2>&1 &
      cpid=$!
      sleep 1
      $GEN probe --url http://127.0.0.1:5087 --method PUT --path /api --body '{"key":"k{i}","value":"w{i}"}' --keys 20000 --rate "$RATE" \
        --seconds "$SECS" --rounds 1 | grep -o 'p50=[0-9.]*ms.*p99=[0-9.]*ms'
      wait "$cpid" || true
    ) > "$OUT.run" 2>&1 || { cat "$OUT.run" >&2; exit 1; }
    latency=$(cat "$OUT.run" | tail -n 1)
    summary=$(awk -F, 'NR > 1 {
        name = $3; gsub(/"/, "", name); value = $NF + 0
        if (name ~ /gen-0-gc-count|dotnet.gc.collections.*gen0|gc.collections.*gen0/) g0 += value
        else if (name ~ /gen-1-gc-count|gen1/) g1 += value
        else if (name ~ /gen-2-gc-count|gen2/) g2 += value
        else if (name ~ /time-in-gc/) { tig += value; n++; if (value > tigmax) tigmax = value }
        else if (name ~ /alloc-rate|gc.heap.total_allocated/) { alloc += value; na++ }
        else if (name ~ /threadpool-queue-length|thread_pool.queue.length/) { if (value > qmax) qmax = value }
        else if (name ~ /gc.pause.time|total-pause-time/) { pause += value; np++ }
      } END {
        printf "gen0=%d gen1=%d gen2=%d time_in_gc_mean=%.2f%% time_in_gc_max=%.1f%% alloc=%.1fMB/s queue_max=%d", g0, g1, g2, (n ? tig / n : 0), tigmax, (na ? alloc / na / 1048576 : 0), qmax
      }' "$csv")
    echo "run $((rep + 1)) $v: $latency | $summary" | tee -a "$OUT"
  done
done
rm -f "$OUT.run"
echo "report: $OUT"
