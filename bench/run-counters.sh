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
# summarize CSV: totals and means of the 1 s samples (.NET 9+ System.Runtime metric names).
summarize() {
  awk -F, 'NR > 1 {
      name = $3; value = $NF + 0
      if (name ~ /^dotnet.gc.collections .*gen0/) g0 += value
      else if (name ~ /^dotnet.gc.collections .*gen1/) g1 += value
      else if (name ~ /^dotnet.gc.collections .*gen2/) g2 += value
      else if (name ~ /^dotnet.gc.pause.time/) { pause += value; np++; if (value > pmax) pmax = value }
      else if (name ~ /^dotnet.gc.heap.total_allocated/) { alloc += value; na++ }
      else if (name ~ /^dotnet.thread_pool.queue.length/) { if (value > qmax) qmax = value }
      else if (name ~ /^dotnet.process.cpu.time/) { cpu += value; nc++ }
      else if (name ~ /^dotnet.monitor.lock_contentions/) { locks += value }
      else if (name ~ /^dotnet.process.memory.working_set/) { if (value > ws) ws = value }
    } END {
      printf "gen0=%d gen1=%d gen2=%d gc_pause=%.1fms/s (max %.0f) alloc=%.1fMB/s cpu=%.2f cores queue_max=%d lock_contentions=%d rss_max=%.0fMB",
        g0, g1, g2, (np ? pause / np * 1000 : 0), pmax * 1000, (na ? alloc / na / 1048576 : 0), (nc ? cpu / (nc / 2) : 0), qmax, locks, ws / 1048576
    }' "$1"
}
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
    summary=$(summarize "$csv")
    echo "run $((rep + 1)) $v: $latency | $summary" | tee -a "$OUT"
  done
done
rm -f "$OUT.run"
echo "report: $OUT"
