#!/usr/bin/env bash
# The streaming platform's benchmark (docs/benchmarks/README.md#streaming-platform), on a persistent single node (this
# tree's Release build, or the build folder given) on a fresh database, with the anchors' KvSeedArch beside it as the
# reference durable write:
#  1. setup: STREAM_USERS (default 2000) users with given ids and STREAM_ITEMS (default 200) catalogue items;
#  2. PostgreSQL transactions per acknowledged request, per route, at STREAM_CONNS (default 16) concurrent clients:
#     for each route, pg_stat_database.xact_commit over STREAM_ROUTE_REQUESTS (default 4000) closed-loop requests
#     and STREAM_FLUSH (default 11) s after them (idle backends report late), minus the idle rate measured first;
#     twice: cold (most of the route's grains activate, reading their state once) and warm (the steady state);
#  3. the mixed workload (create 10 %, subscribe 10 %, pay 20 %, view 30 %, generate 10 %, read status 20 %) at
#     STREAM_RATE (default 300)/s, STREAM_ROUNDS (default 3) rounds of STREAM_SECONDS (default 20) s, then its
#     closed-loop ceiling (64 in flight, 20,000 requests), then each operation alone at its share of the rate;
#  4. KvSeedArch's PUT ceiling (wrk -c64 on 20,000 warm keys, STREAM_SECONDS s), twice, around a second mix ceiling.
#   bench/run-streaming.sh            # this tree
#   bench/run-streaming.sh /path/to/build
# Results: bench/results/streaming-<time>.txt. Ports 5301 (node), 5302 (KvSeedArch).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
VARIANT=${1:-here}
USERS=${STREAM_USERS:-2000}
ITEMS=${STREAM_ITEMS:-200}
CONNS=${STREAM_CONNS:-16}
ROUTE_REQUESTS=${STREAM_ROUTE_REQUESTS:-4000}
FLUSH=${STREAM_FLUSH:-11}
RATE=${STREAM_RATE:-300}
ROUNDS=${STREAM_ROUNDS:-3}
SECS=${STREAM_SECONDS:-20}
command -v wrk > /dev/null || { echo "wrk is missing (apt-get install -y wrk)" >&2; exit 2; }
bench_build_variants "$VARIANT" kvseedarch
mkdir -p bench/results
OUT=bench/results/streaming-$(date -u +%Y%m%dT%H%M%SZ).txt
IDS=$(mktemp)
bench_at_exit "rm -f $IDS"
export Logging__LogLevel__Default=Warning
echo "machine: $(bench_machine); node: $VARIANT; $USERS users, $ITEMS items; $CONNS clients per route; mix at $RATE/s" | tee "$OUT"

NODE=http://127.0.0.1:5301
bench_start_variant 5301 "${TMPDIR:-/tmp}/inmemorydb-bench-streaming.log" "$VARIANT"
NODE_DB=$BENCH_DB
$GEN streaming --url "$NODE" --phase setup --users "$USERS" --items "$ITEMS" --ids-file "$IDS" | tee -a "$OUT"

commits() { bench_psql -At -c "SELECT xact_commit FROM pg_stat_database WHERE datname = '$NODE_DB'"; }
now() { date +%s.%N; }
sleep "$FLUSH"
c0=$(commits); t0=$(now); sleep 15; c1=$(commits); t1=$(now)
idle=$(awk -v a="$c0" -v b="$c1" -v s="$t0" -v e="$t1" 'BEGIN { printf "%.3f", (b - a) / (e - s) }')
echo "idle: $idle transactions/s" | tee -a "$OUT"
for route in create subscribe pay view generate config session status read; do
  # Two passes: "cold" touches most users' grains of this route for the first time (each activation reads its state
  # once), "warm" the same users again (the steady state: only writes).
  for pass in cold warm; do
    c1=$(commits); t1=$(now)
    line=$($GEN streaming --url "$NODE" --phase route --route "$route" --requests "$ROUTE_REQUESTS" --concurrency "$CONNS" --users "$USERS" --items "$ITEMS" --ids-file "$IDS")
    sleep "$FLUSH"; c2=$(commits); t2=$(now)
    echo "$line" | grep -v '^ROUTE' | sed "s/^/$pass /" | tee -a "$OUT"
    ok=$(echo "$line" | grep '^ROUTE' | grep -o 'ok=[0-9]*' | cut -d= -f2)
    awk -v r="$route" -v p="$pass" -v ok="$ok" -v c1="$c1" -v c2="$c2" -v t1="$t1" -v t2="$t2" -v idle="$idle" 'BEGIN {
      x = (c2 - c1) - idle * (t2 - t1); printf "XACT route=%s pass=%s acknowledged=%d transactions=%.0f per_request=%.3f\n", r, p, ok, x, x / ok }' | tee -a "$OUT"
  done
done

$GEN streaming --url "$NODE" --phase mix --rate "$RATE" --seconds "$SECS" --rounds "$ROUNDS" --users "$USERS" --items "$ITEMS" --ids-file "$IDS" | tee -a "$OUT"

# The reference durable write: KvSeedArch's PUT ceiling, and the mix ceiling again between its two runs.
bench_start_variant 5302 "${TMPDIR:-/tmp}/inmemorydb-bench-streaming-anchor.log" kvseedarch
bench_kv_warmup http://127.0.0.1:5302
for pass in 1 2; do
  echo "kvseedarch PUT ceiling #$pass: $(bench_wrk_put http://127.0.0.1:5302 "$SECS" 64)" | tee -a "$OUT"
  [ "$pass" = 2 ] || $GEN streaming --url "$NODE" --phase mix --rate "$RATE" --seconds 5 --rounds 1 --users "$USERS" --items "$ITEMS" --ids-file "$IDS" | grep 'c=64' | sed 's/^/again: /' | tee -a "$OUT"
done
echo "report: $OUT"
