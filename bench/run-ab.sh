#!/usr/bin/env bash
# Side by side: durable PUT latency at a fixed rate and the PUT ceiling of two or more API builds (or settings),
# each in fresh processes on fresh databases, interleaved (the order rotates every repetition), medians reported.
# On a shared two-core machine only such interleaved comparisons say whether a change moved the tail.
#   bench/run-ab.sh /path/to/build-a /path/to/build-b             # build folders holding InMemoryDb.Api.dll
#   bench/run-ab.sh here here@DOTNET_GCgen0size=0x600000           # "here": this tree's Release build; @VAR=value,... adds environment
#   bench/run-ab.sh here here@BENCH_PG_OPTIONS=MaxPoolSize=8        # BENCH_* settings go to the script (bench/lib.sh), the rest to the API
#   bench/run-ab.sh baseline here                                   # "baseline": bench/Baseline as the durable baseline (one upsert per PUT)
#   bench/run-ab.sh kvseedarch here                                 # "kvseedarch": the anchors' KvSeedArch (PG upsert + Redis SET per PUT)
# AB_REPS (default 3) processes per variant; each warms up with 40,000 PUTs (32 in flight), then runs AB_ROUNDS
# (default 3) rounds of AB_SECONDS (default 20) s of PUTs of existing keys at AB_RATE (default 1000)/s, open loop,
# then AB_SECONDS of the anchors' wrk PUT load on the warm keys with AB_WRK_CONNS (default 64; 0: none) connections
# (closed loop: the "wrk ceiling"), then one closed-loop round of 15,000 PUTs of new keys (32 in flight).
# Ratios are to the first variant. Port: BENCH_PORT (default 5087); variants: bench_start_variant in bench/lib.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
[ $# -ge 2 ] || { sed -n '2,14p' "$0" >&2; exit 2; }
PORT=${BENCH_PORT:-5087}
REPS=${AB_REPS:-3}
ROUNDS=${AB_ROUNDS:-3}
SECONDS_PER_ROUND=${AB_SECONDS:-20}
RATE=${AB_RATE:-1000}
WRK_CONNS=${AB_WRK_CONNS:-64}
bench_build_variants "$@"
URL="http://127.0.0.1:$PORT"
OUT=bench/results/ab-$(date -u +%Y%m%dT%H%M%SZ).txt
mkdir -p bench/results
export Logging__LogLevel__Default=Warning
echo "machine: $(bench_machine); $REPS processes per variant; $ROUNDS x $SECONDS_PER_ROUND s at $RATE PUT/s" | tee "$OUT"

declare -A P99 P50 CEILING WRK
VARIANTS=("$@")
for ((rep = 0; rep < REPS; rep++)); do
  for ((j = 0; j < ${#VARIANTS[@]}; j++)); do
    v=${VARIANTS[(j + rep) % ${#VARIANTS[@]}]}
    (
      trap bench_run_exit_actions EXIT   # a subshell does not inherit the trap: stop this process, drop its database
      bench_start_variant "$PORT" "${TMPDIR:-/tmp}/inmemorydb-bench-ab-api.log" "$v"
      bench_kv_warmup "$URL"
      $GEN probe --url "$URL" --method PUT --path /api --body '{"key":"k{i}","value":"w{i}"}' --keys 20000 --rate "$RATE" \
        --seconds "$SECONDS_PER_ROUND" --rounds "$ROUNDS"
      [ "$WRK_CONNS" = 0 ] || bench_wrk_put "$URL" "$SECONDS_PER_ROUND" "$WRK_CONNS"
      $GEN closed --url "$URL" --method PUT --path /api --body '{"key":"n{i}","value":"v{i}"}' --requests 15000 --concurrency 32 --rounds 1
    ) > "$OUT.run" 2>&1 || { cat "$OUT.run" >&2; exit 1; }
    sed "s|^|$v: |" "$OUT.run" >> "$OUT"
    P99[$v]+="$(grep -o 'p99=[0-9.]*' "$OUT.run" | head -n "$ROUNDS" | cut -d= -f2 | tr '\n' ' ')"
    P50[$v]+="$(grep -o 'p50=[0-9.]*' "$OUT.run" | head -n "$ROUNDS" | cut -d= -f2 | tr '\n' ' ')"
    CEILING[$v]+="$(grep -o 'rps=[0-9.]*' "$OUT.run" | tail -n 1 | cut -d= -f2) "
    WRK[$v]+="$(grep "^KVBENCH" "$OUT.run" | grep -o " rps=[0-9.]*" | cut -d= -f2 || true) "
    grep '^KVBENCH' "$OUT.run" | grep -qv 'non2xx=0 connect=0 read=0 write=0 timeout=0' && echo "warning: $v: wrk saw errors" | tee -a "$OUT"
    echo "rep $((rep + 1)) $v: p99 ${P99[$v]}| ceiling ${CEILING[$v]}| wrk ${WRK[$v]}"
  done
done
rm -f "$OUT.run"

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
{
  echo
  printf '%-50s %14s %14s %16s %16s\n' variant "p50 median" "p99 median" "ceiling median" "wrk median"
  for v in "${VARIANTS[@]}"; do
    printf '%-50s %11s ms %11s ms %12s /s %12s /s\n' "$v" "$(median <<< "${P50[$v]}")" "$(median <<< "${P99[$v]}")" "$(median <<< "${CEILING[$v]}")" "$(median <<< "${WRK[$v]:-0}")"
    echo "  p99 per round: ${P99[$v]}| ceiling per process: ${CEILING[$v]}| wrk per process: ${WRK[$v]:-}"
  done
  first=${VARIANTS[0]}
  for v in "${VARIANTS[@]:1}"; do
    awk -v v="$v" -v f="$first" -v p="$(median <<< "${P99[$v]}")" -v pf="$(median <<< "${P99[$first]}")" \
      -v c="$(median <<< "${CEILING[$v]}")" -v cf="$(median <<< "${CEILING[$first]}")" -v w="$(median <<< "${WRK[$v]:-0}")" -v wf="$(median <<< "${WRK[$first]:-0}")" \
      'BEGIN { printf "%s / %s: p99 %.2fx, ceiling %.2fx, wrk ceiling %.2fx\n", v, f, p / pf, c / cf, (wf > 0 ? w / wf : 0) }'
  done
} | tee -a "$OUT"
echo "report: $OUT"
