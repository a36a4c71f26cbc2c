#!/usr/bin/env bash
# Issue 18's hashing benchmark: does a burst of user creates (PBKDF2 password hashes, 100,000 iterations as shipped)
# take the node from other requests? On the persistent single node with every shipped default (keys off, rate limits
# and time-outs on), side by side in one run, interleaved:
#   quiet  key-value GETs of 2,000 warm keys at a fixed rate (half the measured GET ceiling), HASH_SECONDS (default 12) s,
#          while a second generator sends HASH_USERS (default 160) GET /health at concurrency 16 beside them
#   burst  the same GETs while that second generator sends HASH_USERS user creates (a password hash each) instead
# (the control burst costs what starting a second generator and its requests cost, so the difference is the hashing).
# HASH_ROUNDS (default 3) rounds of each; prints each round and the median GET p99 of each mode. Target: burst p99
# within 2x of quiet. Port: BENCH_PORT (default 5088). The database is dropped afterwards unless BENCH_KEEP_DB=1.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
PORT=${BENCH_PORT:-5088}
ROUNDS=${HASH_ROUNDS:-3}
SECONDS_PER_ROUND=${HASH_SECONDS:-12}
USERS=${HASH_USERS:-160}
URL="http://127.0.0.1:$PORT"
for project in src/Api bench/InMemoryDb.Bench; do dotnet build -c Release "$project" -v q -nologo | grep -E " error |rror\(s\)" || true; done
echo "machine: $(bench_machine)"

bench_fresh_database inmemorydb_bench_hashing
export Logging__LogLevel__Default=Warning
bench_start "$PORT" "${TMPDIR:-/tmp}/inmemorydb-bench-hashing.log" src/Api/bin/Release/net10.0/InMemoryDb.Api.dll
$GEN closed --url "$URL" --method PUT --path /api --body '{"key":"k{i}","value":"v{i}"}' --requests 2000 --concurrency 32 --rounds 1 > /dev/null
$GEN closed --url "$URL" --method POST --path /api/v1/data/users --body '{"data":{"email":"warm{i}-{run}@example.com","full_name":"Warm","password":"correct horse"}}' --requests 32 --concurrency 4 --rounds 1 > /dev/null

ceiling=$($GEN closed --url "$URL" --method GET --path '/api?key=k{i}' --keys 2000 --requests 40000 --concurrency 64 --rounds 3 \
  | grep -o 'rps=[0-9]*' | cut -d= -f2 | sort -n | sed -n 2p)
rate=$((ceiling / 2))
echo "GET ceiling (median of 3 closed rounds, 64 in flight): $ceiling/s; fixed rate: $rate/s"

declare -a QUIET BURST
for ((round = 1; round <= ROUNDS; round++)); do
  for mode in quiet burst; do
    if [ "$mode" = burst ]; then
      $GEN closed --url "$URL" --method POST --path /api/v1/data/users \
        --body '{"data":{"email":"u{i}-{run}@example.com","full_name":"Burst User","password":"correct horse battery"}}' \
        --requests "$USERS" --concurrency 16 --rounds 1 > "${TMPDIR:-/tmp}/inmemorydb-bench-hashing-burst.txt" &
    else
      $GEN closed --url "$URL" --method GET --path /health --requests "$USERS" --concurrency 16 --rounds 1 > "${TMPDIR:-/tmp}/inmemorydb-bench-hashing-burst.txt" &
    fi
    burst_pid=$!
    line=$($GEN probe --url "$URL" --path '/api?key=k{i}' --keys 2000 --rate "$rate" --seconds "$SECONDS_PER_ROUND" --rounds 1 --warmup 1 | tail -n 1)
    wait "$burst_pid"; echo "  beside: $(tail -n 1 "${TMPDIR:-/tmp}/inmemorydb-bench-hashing-burst.txt")"
    p99=$(echo "$line" | grep -o 'p99=[0-9.]*' | cut -d= -f2)
    echo "round $round $mode: $line"
    if [ "$mode" = quiet ]; then QUIET+=("$p99"); else BURST+=("$p99"); fi
  done
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
q=$(median "${QUIET[@]}"); b=$(median "${BURST[@]}")
echo "GET p99 median: quiet $q ms, with the burst $b ms, ratio $(awk -v b="$b" -v q="$q" 'BEGIN{printf "%.2f", b/q}') (target <= 2)"
