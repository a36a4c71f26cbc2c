#!/usr/bin/env bash
# Resident memory per key-value key on the persistent single node: RSS idle, then after MEM_KEYS (default 100,000)
# PUTs of distinct keys with 64-byte values (16 in flight) and a 10 s settle, as issue 21 measures it:
# (RSS loaded - RSS idle) / keys, with the GC settings the node ships with. With MEM_HEAP=1 also the loaded process's
# managed heap by type (dotnet-dump, the top MEM_TOP types, default 25).
#   bench/run-memory.sh [build folder holding InMemoryDb.Api.dll (default: this tree's build)]
#   MEM_KEYS=300000 BENCH_API_ENV="InMemoryDb__Memory__BudgetBytes=268435456" bench/run-memory.sh   # under a budget
# Port 5095; a fresh database, dropped afterwards.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
KEYS=${MEM_KEYS:-100000}
DIR=${1:-$PWD/src/Api/bin/Release/net10.0}
for project in src/Api bench/InMemoryDb.Bench; do dotnet build -c Release "$project" -v q -nologo | grep -E " error |rror\(s\)" || true; done
echo "machine: $(bench_machine)"
export Logging__LogLevel__Default=Warning
bench_fresh_database inmemorydb_bench_mem
bench_start 5095 "${TMPDIR:-/tmp}/inmemorydb-mem.log" "$DIR/InMemoryDb.Api.dll" --Orleans:SiloPort=25095 --Orleans:GatewayPort=26095 --Orleans:ClusterId=mem-5095
unset ConnectionStrings__Postgres
rss() { awk '/^VmRSS/ { print $2 * 1024 }' "/proc/$BENCH_PID/status"; }
sleep 5
idle=$(rss)
value=$(printf 'v%.0s' $(seq 1 64))
start=$(date +%s.%N)
$GEN closed --url http://127.0.0.1:5095 --method PUT --path /api --body "{\"key\":\"k{i}\",\"value\":\"$value\"}" --requests "$KEYS" --concurrency 16 --rounds 1 | tail -n 1
loaded_at=$(date +%s.%N)
sleep 10
loaded=$(rss)
# Every key must still read back (a sample of 10,000, evicted or resident alike).
$GEN closed --url http://127.0.0.1:5095 --method GET --path "/api?key=k{i}" --requests 10000 --concurrency 16 --rounds 1 --keys "$KEYS" | tail -n 1
echo "keys=$KEYS load_seconds=$(echo "$loaded_at - $start" | bc) rss_idle=$((idle / 1048576))MiB rss_loaded=$((loaded / 1048576))MiB per_key=$(( (loaded - idle) / KEYS )) bytes"
if [ "${MEM_HEAP:-0}" = 1 ]; then
  # The managed heap by type (dotnet-dump's dumpheap -stat: exact, where .NET 10's gcdump is lossy on large heaps).
  dump="${TMPDIR:-/tmp}/inmemorydb-mem-$$.dump"
  ~/.dotnet/tools/dotnet-dump collect -p "$BENCH_PID" --type Heap -o "$dump" > /dev/null
  ~/.dotnet/tools/dotnet-dump analyze "$dump" -c "dumpheap -stat" -c exit \
    | awk '$2 ~ /^[0-9,]+$/ && $3 ~ /^[0-9,]+$/ { gsub(",", "", $2); gsub(",", "", $3); $1 = ""; print }' \
    | sort -k2,2 -n -r | head -n "${MEM_TOP:-25}"
  rm -f "$dump"
fi
