#!/usr/bin/env bash
# PostgreSQL transactions per acknowledged write (issue 19's target: <= 0.5 with 16 writers). Each variant runs in its
# own process on its own fresh database of the private PostgreSQL (bench/lib.sh), warmed with 40,000 PUTs of keys
# k0..k19999. Then XACT_ROUNDS (default 3) rounds, the variants' order rotating every round; per variant and round:
# the database's committed transactions (pg_stat_database.xact_commit) over XACT_SECONDS (default 15) idle, then over
# XACT_SECONDS of the anchors' wrk PUT load on those warm keys with XACT_CONNS (default 16) connections (closed loop)
# and XACT_FLUSH (default 11) s after it (an idle backend reports its counts up to 10 s late). Ratio =
# (commits over load and flush - the idle rate x their time) / acknowledged (2xx) PUTs. Medians per variant.
#   bench/run-xact.sh                              # this tree's Release build ("here")
#   bench/run-xact.sh here /path/to/build kvseedarch   # build folders, "baseline", "kvseedarch", @VAR=value (bench_start_variant)
# Ports: BENCH_PORT (default 5187), +1 per variant. Needs wrk (apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
[ $# -gt 0 ] || set -- here
command -v wrk > /dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 2; }
ROUNDS=${XACT_ROUNDS:-3}
SECS=${XACT_SECONDS:-15}
CONNS=${XACT_CONNS:-16}
FLUSH=${XACT_FLUSH:-11}
bench_build_variants "$@"
export Logging__LogLevel__Default=Warning
mkdir -p bench/results
OUT=bench/results/xact-$(date -u +%Y%m%dT%H%M%SZ).txt
VARIANTS=("$@")
declare -a DBS URLS
port=${BENCH_PORT:-5187}
for v in "${VARIANTS[@]}"; do
  bench_start_variant "$port" "${TMPDIR:-/tmp}/inmemorydb-bench-xact-$port.log" "$v"
  bench_kv_warmup "http://127.0.0.1:$port"
  DBS+=("$BENCH_DB"); URLS+=("http://127.0.0.1:$port")
  port=$((port + 1))
done
commits() { bench_psql -At -c "SELECT xact_commit FROM pg_stat_database WHERE datname = '$1'"; }
now() { date +%s.%N; }
echo "machine: $(bench_machine); $ROUNDS rounds of ${SECS} s idle, then ${SECS} s of wrk -c$CONNS + ${FLUSH} s; variants: ${VARIANTS[*]}" | tee "$OUT"
sleep "$FLUSH"
declare -A RATIOS
for ((r = 0; r < ROUNDS; r++)); do
  for ((j = 0; j < ${#VARIANTS[@]}; j++)); do
    k=$(((j + r) % ${#VARIANTS[@]}))
    v=${VARIANTS[k]} db=${DBS[k]}
    c0=$(commits "$db"); t0=$(now); sleep "$SECS"; c1=$(commits "$db"); t1=$(now)
    line=$(bench_wrk_put "${URLS[k]}" "$SECS" "$CONNS")
    sleep "$FLUSH"; c2=$(commits "$db"); t2=$(now)
    result=$(echo "$line" | awk -v c0="$c0" -v c1="$c1" -v c2="$c2" -v t0="$t0" -v t1="$t1" -v t2="$t2" '{
      for (i = 1; i <= NF; i++) { split($i, kv, "="); f[kv[1]] = kv[2] }
      writes = f["requests"] - f["non2xx"]; idle = (c1 - c0) / (t1 - t0); xacts = (c2 - c1) - idle * (t2 - t1)
      printf "writes=%d rps=%s p99_ms=%s errors=%d commits=%d idle_rate=%.2f/s xacts=%.0f ratio=%.3f",
        writes, f["rps"], f["p99_ms"], f["non2xx"] + f["connect"] + f["read"] + f["write"] + f["timeout"], c2 - c1, idle, xacts, xacts / writes }')
    echo "round $((r + 1)) $v: $result" | tee -a "$OUT"
    RATIOS[$v]+=" $(echo "$result" | grep -o 'ratio=[0-9.-]*' | cut -d= -f2)"
  done
done
median() { printf '%s\n' $1 | sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
for v in "${VARIANTS[@]}"; do
  echo "median $v: $(median "${RATIOS[$v]}") transactions per acknowledged PUT (rounds:${RATIOS[$v]})" | tee -a "$OUT"
done
echo "report: $OUT"
