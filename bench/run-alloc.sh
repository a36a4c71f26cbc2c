#!/usr/bin/env bash
# Bytes allocated per request by the API (persistent single node, local PostgreSQL), read from the runtime's own
# counter (dotnet.gc.heap.total_allocated, through dotnet-counters) while a fixed load runs: deterministic where
# latency on a shared machine is not, so a change's effect on garbage collection can be compared run to run.
#   bench/run-alloc.sh kv      # 40,000 PUTs to warm up, then PUT of existing keys at 1,000/s for 30 s (20 s counted)
#   bench/run-alloc.sh get     # 20,000 records created, then GET of one record at 1,000/s for 30 s (20 s counted)
#   bench/run-alloc.sh kvget   # 100 keys written, then key-value GETs at 1,000/s for 30 s (20 s counted)
#   bench/run-alloc.sh rinha   # the rinha profile with durations x 0.35 (about 80 s; 95 s counted from the start)
# BENCH_API_DIR: the API build to measure (default: this tree's Release build). Needs dotnet-counters
# (`dotnet tool install -g dotnet-counters`). Ports: BENCH_PORT (default 5086). The database is dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
SCENARIO=${1:-kv}
PORT=${BENCH_PORT:-5086}
COUNTERS=$(command -v dotnet-counters || echo "$HOME/.dotnet/tools/dotnet-counters")
[ -x "$COUNTERS" ] || { echo "dotnet-counters is needed: dotnet tool install -g dotnet-counters" >&2; exit 1; }
if [ -z "${BENCH_API_DIR:-}" ]; then
  dotnet build -c Release src/Api -v q -nologo | grep -E " error |rror\(s\)" || true
  BENCH_API_DIR=src/Api/bin/Release/net10.0
fi
dotnet build -c Release bench/InMemoryDb.Bench -v q -nologo | grep -E " error |rror\(s\)" || true
URL="http://127.0.0.1:$PORT"
CSV=$(mktemp --suffix .csv)
bench_at_exit "rm -f $CSV"
bench_fresh_database inmemorydb_bench_alloc
export Logging__LogLevel__Default=Warning
bench_start "$PORT" "${TMPDIR:-/tmp}/inmemorydb-bench-alloc-api.log" "$BENCH_API_DIR/InMemoryDb.Api.dll"
echo "machine: $(bench_machine); API $BENCH_API_DIR; scenario $SCENARIO"

case "$SCENARIO" in
  kv)
    bench_kv_warmup "$URL"
    (sleep 4; "$COUNTERS" collect -p "$BENCH_PID" --counters System.Runtime --format csv --refresh-interval 10 --duration 00:00:00:21 -o "$CSV" > /dev/null) &
    COLLECTOR=$!
    $GEN probe --url "$URL" --method PUT --path /api --body '{"key":"k{i}","value":"w{i}"}' --keys 20000 --rate 1000 --seconds 30 --rounds 1
    wait "$COLLECTOR"
    grep total_allocated "$CSV" | awk -F, '{printf "allocated per PUT (10 s window at 1,000/s): %.0f bytes\n", $5 / 10000}'
    ;;
  kvget)
    $GEN closed --url "$URL" --method PUT --path /api --body '{"key":"k{i}","value":"v{i}"}' --keys 100 --requests 2000 --concurrency 16 --rounds 1 > /dev/null
    $GEN closed --url "$URL" --method GET --path '/api?key=k{i}' --keys 100 --requests 20000 --concurrency 32 --rounds 1 > /dev/null
    (sleep 4; "$COUNTERS" collect -p "$BENCH_PID" --counters System.Runtime --format csv --refresh-interval 10 --duration 00:00:00:21 -o "$CSV" > /dev/null) &
    COLLECTOR=$!
    $GEN probe --url "$URL" --path '/api?key=k{i}' --keys 100 --rate 1000 --seconds 30 --rounds 1
    wait "$COLLECTOR"
    grep total_allocated "$CSV" | awk -F, '{printf "allocated per key-value GET (10 s window at 1,000/s): %.0f bytes\n", $5 / 10000}'
    ;;
  get)
    $GEN closed --url "$URL" --method POST --path /api/v1/data/t --body '{"data":{"id":"r{i}","n":1,"name":"record","tags":["a","b"]}}' --requests 20000 --concurrency 32 --rounds 1 > /dev/null
    $GEN closed --url "$URL" --method GET --path '/api/v1/data/t/r{i}' --requests 20000 --concurrency 32 --rounds 1 > /dev/null
    (sleep 4; "$COUNTERS" collect -p "$BENCH_PID" --counters System.Runtime --format csv --refresh-interval 10 --duration 00:00:00:21 -o "$CSV" > /dev/null) &
    COLLECTOR=$!
    $GEN probe --url "$URL" --method GET --path '/api/v1/data/t/r{i}' --keys 20000 --rate 1000 --seconds 30 --rounds 1
    wait "$COLLECTOR"
    grep total_allocated "$CSV" | awk -F, '{printf "allocated per GET (10 s window at 1,000/s): %.0f bytes\n", $5 / 10000}'
    ;;
  rinha)
    "$COUNTERS" collect -p "$BENCH_PID" --counters System.Runtime --format csv --refresh-interval 5 --duration 00:00:01:35 -o "$CSV" > /dev/null &
    COLLECTOR=$!
    $GEN rinha --url "$URL" --data "${RINHA_DATA:-../shared/rinha}" --time-scale 0.35 | tail -1
    wait "$COLLECTOR"
    grep total_allocated "$CSV" | awk -F, '{s += $5} END {printf "allocated over the run: %.0f MB\n", s / 1048576}'
    grep 'gc.collections' "$CSV" | awk -F, '{s += $5} END {printf "collections over the run: %d\n", s}'
    ;;
  *) echo "usage: bench/run-alloc.sh kv|get|rinha" >&2; exit 2 ;;
esac
