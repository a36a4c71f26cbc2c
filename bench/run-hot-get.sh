#!/usr/bin/env bash
# Hot key-value GETs side by side, interleaved: the same 100 warm keys read through bench/Baseline (Kestrel and a
# dictionary: the HTTP ceiling here) and through API builds on the persistent single node, HOTGET_ROUNDS (default 3)
# closed-loop rounds of HOTGET_REQUESTS (default 100,000) GETs with 64 in flight each, the targets' order rotating every
# round; medians and ratios to the baseline. Issue 4's target: node >= 0.5x the baseline.
#   bench/run-hot-get.sh                       # baseline and this tree's build
#   bench/run-hot-get.sh /path/to/old/build    # and another build folder holding InMemoryDb.Api.dll (e.g. before a change)
#   bench/run-hot-get.sh here@InMemoryDb__RateLimits__Enabled=false   # "here" with settings (VAR=value,VAR=value)
#   HOTGET_KEYS=100000 bench/run-hot-get.sh ...   # keys stored and read at random (default 100)
# Ports 5091 (baseline), 5092, 5093, ... Every process has its own fresh database (dropped afterwards).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
ROUNDS=${HOTGET_ROUNDS:-3}
REQUESTS=${HOTGET_REQUESTS:-100000}
KEYS=${HOTGET_KEYS:-100}
for project in src/Api bench/InMemoryDb.Bench bench/Baseline; do dotnet build -c Release "$project" -v q -nologo | grep -E " error |rror\(s\)" || true; done
echo "machine: $(bench_machine)"
export Logging__LogLevel__Default=Warning

declare -a NAMES URLS
bench_start 5091 "${TMPDIR:-/tmp}/inmemorydb-hotget-baseline.log" bench/Baseline/bin/Release/net10.0/InMemoryDb.Baseline.dll
NAMES+=(baseline); URLS+=(http://127.0.0.1:5091)
port=5092
for variant in here "$@"; do
  dir=${variant%%@*}
  [ "$dir" = here ] && dir=$PWD/src/Api/bin/Release/net10.0
  settings=; [ "$variant" != "${variant#*@}" ] && settings=${variant#*@}
  bench_fresh_database "inmemorydb_bench_hotget_$port"
  BENCH_API_ENV="${settings//,/ }" bench_start "$port" "${TMPDIR:-/tmp}/inmemorydb-hotget-$port.log" "$dir/InMemoryDb.Api.dll" \
    --Orleans:SiloPort=$((port + 20000)) --Orleans:GatewayPort=$((port + 21000)) --Orleans:ClusterId="hotget-$port"
  unset ConnectionStrings__Postgres
  NAMES+=("$variant"); URLS+=("http://127.0.0.1:$port")
  port=$((port + 1))
done
for url in "${URLS[@]}"; do
  $GEN closed --url "$url" --method PUT --path /api --body '{"key":"k{i}","value":"v{i}"}' --keys "$KEYS" --requests "$KEYS" --concurrency 16 --rounds 1 > /dev/null
  $GEN closed --url "$url" --method GET --path '/api?key=k{i}' --keys "$KEYS" --requests 20000 --concurrency 64 --rounds 1 > /dev/null
done

declare -A RPS
for ((round = 0; round < ROUNDS; round++)); do
  for ((j = 0; j < ${#URLS[@]}; j++)); do
    k=$(((j + round) % ${#URLS[@]}))
    line=$($GEN closed --url "${URLS[k]}" --method GET --path '/api?key=k{i}' --keys "$KEYS" --requests "$REQUESTS" --concurrency 64 --rounds 1 | tail -n 1)
    echo "round $((round + 1)) ${NAMES[k]}: $line"
    RPS[$k]="${RPS[$k]:-} $(echo "$line" | grep -o 'rps=[0-9]*' | cut -d= -f2)"
  done
done
median() { printf '%s\n' $1 | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
base=$(median "${RPS[0]}")
for ((k = 0; k < ${#URLS[@]}; k++)); do
  m=$(median "${RPS[$k]}")
  echo "median ${NAMES[k]}: $m GET/s ($(awk -v m="$m" -v b="$base" 'BEGIN{printf "%.2f", m/b}')x the baseline)"
done
