#!/usr/bin/env bash
# A million keys (or records) on one persistent node under a memory budget (docs/benchmarks/README.md#a-million-keys):
#  1. a fresh node with InMemoryDb:Memory:BudgetBytes = MILLION_BUDGET (default 512 MiB); RSS idle;
#  2. MILLION_KEYS (default 1,000,000) distinct keys m0..m<N-1> written with 64-byte values (32 in flight): with
#     MILLION_KIND=kv (default) PUT /api; with MILLION_KIND=records, records {"id": "m<i>", "value": ...} POSTed to
#     the table "million"; RSS 10 s later;
#  3. read back: 5 s of random reads of the keys (wrk, 16 connections: every answer must be 200, thousands of keys)
#     and every key counted by paging through the listing (/api/all or /api/v1/dump/million, pages of 10,000);
#  4. restart (SIGTERM, start again): time to the first successful read of a key, to /health ready (the index loaded),
#     and RSS then; the sample read back again.
#   bench/run-million.sh [build folder holding InMemoryDb.Api.dll (default: this tree's build)]
# Port 5096; a fresh database, dropped afterwards. Results: bench/results/million-<kind>-<time>.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
KEYS=${MILLION_KEYS:-1000000}
KIND=${MILLION_KIND:-kv}
BUDGET=${MILLION_BUDGET:-536870912}
DIR=${1:-$PWD/src/Api/bin/Release/net10.0}
PORT=5096
URL=http://127.0.0.1:$PORT
for project in src/Api bench/InMemoryDb.Bench; do dotnet build -c Release "$project" -v q -nologo | grep -E " error |rror\(s\)" || true; done
mkdir -p bench/results
OUT=bench/results/million-$KIND-$(date -u +%Y%m%dT%H%M%SZ).txt
echo "machine: $(bench_machine); kind=$KIND keys=$KEYS budget=$BUDGET build=$DIR" | tee "$OUT"
export Logging__LogLevel__Default=Warning
bench_fresh_database inmemorydb_bench_million > /dev/null
export InMemoryDb__Memory__BudgetBytes=$BUDGET
ARGS=("$DIR/InMemoryDb.Api.dll" --Orleans:SiloPort=25096 --Orleans:GatewayPort=26096 --Orleans:ClusterId=million-$PORT --Logging:LogLevel:InMemoryDb.Silo.Hosting.MemoryBudgetWatch=Information)
rss() { awk '/^VmRSS/ { print int($2 / 1024) }' "/proc/$1/status"; }
VALUE=$(printf 'v%.0s' $(seq 64))
case $KIND in
  kv) WRITE=(--method PUT --path /api --body "{\"key\":\"m{i}\",\"value\":\"$VALUE\"}"); READ=/api?key=; LIST=/api/all; FIELD=key ;;
  records) WRITE=(--method POST --path /api/v1/data/million --body "{\"data\":{\"id\":\"m{i}\",\"value\":\"$VALUE\"}}"); READ=/api/v1/data/million/; LIST=/api/v1/dump/million; FIELD=id ;;
  *) echo "MILLION_KIND is kv or records" >&2; exit 2 ;;
esac
readback() {
  wrk -t2 -c16 -d5s --timeout 10s -s bench/get-range.lua "$URL" -- "$KEYS" "$READ" m | grep '^READBACK'
}
count_all() {
  local after="" total=0 n page
  while :; do
    page=$(curl -sf "$URL$LIST?limit=10000${after:+&after=$after}")
    n=$(grep -o "\"$FIELD\":\"m[0-9]*\"" <<< "$page" | sort -u | wc -l)
    total=$((total + n))
    [ "$n" -lt 10000 ] && break
    after=$(grep -o "\"$FIELD\":\"m[0-9]*\"" <<< "$page" | tail -n 1 | cut -d'"' -f4)
  done
  echo "$total"
}

bench_start $PORT "${TMPDIR:-/tmp}/inmemorydb-million.log" "${ARGS[@]}"
FIRST=$BENCH_PID
sleep 5
echo "rss idle: $(rss "$FIRST") MiB" | tee -a "$OUT"
$GEN closed --url "$URL" "${WRITE[@]}" --requests "$KEYS" --concurrency 32 --rounds 1 | tail -n 1 | tee -a "$OUT"
sleep 10
echo "rss 10 s after loading: $(rss "$FIRST") MiB (budget $((BUDGET / 1048576)) MiB, +25%: $((BUDGET * 5 / 4 / 1048576)) MiB)" | tee -a "$OUT"
readback | tee -a "$OUT"
echo "counted through $LIST: $(count_all) of $KEYS" | tee -a "$OUT"
echo "rss after the read-back: $(rss "$FIRST") MiB" | tee -a "$OUT"

bench_stop "$FIRST"
start=$(date +%s%N)
dotnet "${ARGS[@]}" --urls "$URL" > "${TMPDIR:-/tmp}/inmemorydb-million-restart.log" 2>&1 &
SECOND=$!
bench_at_exit "bench_stop $SECOND"
until curl -sf -o /dev/null --max-time 2 "$URL$READ""m$((KEYS / 2))"; do
  kill -0 "$SECOND" 2> /dev/null || { tail "${TMPDIR:-/tmp}/inmemorydb-million-restart.log"; exit 1; }
  sleep 0.05
done
first_read=$(( ($(date +%s%N) - start) / 1000000 ))
listing=$(curl -s -o /dev/null -w '%{http_code} retry-after=%header{retry-after}' "$URL$LIST?limit=10")
until curl -sf -o /dev/null --max-time 5 "$URL/health"; do sleep 0.1; done
ready=$(( ($(date +%s%N) - start) / 1000000 ))
echo "restart: first successful read after $first_read ms; a listing then: $listing; /health ready after $ready ms; rss $(rss "$SECOND") MiB" | tee -a "$OUT"
readback | tee -a "$OUT"
sleep 10
echo "rss 10 s after ready: $(rss "$SECOND") MiB" | tee -a "$OUT"
echo "compactions by the budget watch (load, then restart):" | tee -a "$OUT"
grep -h "Resident set" "${TMPDIR:-/tmp}/inmemorydb-million.log" "${TMPDIR:-/tmp}/inmemorydb-million-restart.log" | tee -a "$OUT" || true
echo "results: $OUT"
