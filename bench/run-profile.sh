#!/usr/bin/env bash
# Where the write path's CPU goes: one persistent node (fresh database, 40,000 PUTs of warm-up), loaded with the
# anchors' wrk PUT load on warm keys (PROFILE_CONNS, default 16 connections, closed loop), profiled twice, each for
# PROFILE_SECONDS (default 15) of that load:
#   1. perf (PROFILE_PERF=0 skips it): on-CPU samples of the process at 997 Hz, kernel and native code included,
#      exclusive: by component (kernel, runtime, JIT-compiled code by assembly) and by symbol. The true CPU profile.
#   2. dotnet-trace (EventPipe thread samples, ~100 Hz per thread): each sample ends in CPU_TIME (the thread ran
#      managed code) or UNMANAGED_CODE_TIME (native code: waiting, a system call, the GC, the runtime, not told
#      apart). Reported: the managed frames of CPU_TIME samples, exclusive and inclusive (whole managed stacks, async
#      state machines named), and by assembly. Caveat: a P/Invoke inlined into JIT-compiled code counts as managed, so
#      frames such as SocketAsyncEngine.EventLoop (epoll_wait) and SocketPal.TryComplete* (send/recv) include time
#      in the kernel, waiting included; perf's table is the one to trust for exclusive CPU.
# The node runs with PROFILE_API_ENV (default "DOTNET_ReadyToRun=0 DOTNET_EnableWriteXorExecute=0": every method
# JIT-compiled, so both tools can name it — with ReadyToRun code 45 % of dotnet-trace's managed samples were "?!?" —
# and JIT code outside the W^X double mapping, which perf cannot name) and DOTNET_PerfMapEnabled=1.
# PROFILE_TOP (default 30) rows per table. Report and traces: bench/results/profile-<time>.{txt,nettrace,...}.
#   bench/run-profile.sh                  # this tree's Release build
#   bench/run-profile.sh /path/to/build   # a build folder, or any variant of bench_start_variant (bench/lib.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
VARIANT=${1:-here}
SECS=${PROFILE_SECONDS:-15}
CONNS=${PROFILE_CONNS:-16}
TOP=${PROFILE_TOP:-30}
TRACE=${DOTNET_TRACE:-$(command -v dotnet-trace || echo ~/.dotnet/tools/dotnet-trace)}
[ -x "$TRACE" ] || { echo "dotnet-trace is missing: dotnet tool install -g dotnet-trace" >&2; exit 2; }
PERF=${PROFILE_PERF:-1}
command -v perf > /dev/null || PERF=0
bench_build_variants "$VARIANT"
mkdir -p bench/results
OUT=bench/results/profile-$(date -u +%Y%m%dT%H%M%SZ)
PORT=${BENCH_PORT:-5187}
URL=http://127.0.0.1:$PORT
export Logging__LogLevel__Default=Warning
PROFILE_API_ENV=${PROFILE_API_ENV-DOTNET_ReadyToRun=0 DOTNET_EnableWriteXorExecute=0}
BENCH_API_ENV="${BENCH_API_ENV:-} $PROFILE_API_ENV DOTNET_PerfMapEnabled=$PERF" bench_start_variant "$PORT" "${TMPDIR:-/tmp}/inmemorydb-bench-profile-$PORT.log" "$VARIANT"
PID=$BENCH_PID
bench_kv_warmup "$URL"

# under_load COMMAND...: runs COMMAND while wrk loads the node (wrk starts 2 s before and runs 4 s longer).
under_load() {
  bench_wrk_put "$URL" $((SECS + 4)) "$CONNS" > "$OUT.wrk" &
  local load=$!
  sleep 2
  "$@"
  wait "$load"
  echo "load: $(cat "$OUT.wrk")"
}

{
  echo "machine: $(bench_machine); variant $VARIANT; wrk -c$CONNS PUTs of warm keys; ${SECS} s per profile; node environment: $PROFILE_API_ENV"
  if [ "$PERF" = 1 ]; then
    echo
    echo "== perf: every on-CPU sample of the process (kernel and native code included), exclusive =="
    under_load perf record -F 997 -g -p "$PID" -o "$OUT.perf.data" -- sleep "$SECS" 2> /dev/null
    perf report -i "$OUT.perf.data" --stdio --no-children -g none --sort dso,sym -t '|' 2> /dev/null | grep -v '^#' | python3 -c '
import collections, re, sys
top = int(sys.argv[1]); rows = []; parts = collections.Counter()
for line in sys.stdin:
    f = line.rstrip("\n").split("|")
    if len(f) < 3 or not f[0].strip().endswith("%"): continue
    pct, dso, sym = float(f[0].strip()[:-1]), f[1].strip(), f[2].strip()[4:]
    if dso.startswith("[JIT]"):
        asm = re.findall(r"\[([^\]]+)\] ", sym.split("::")[0])  # in "[Assembly] Type::Method", the assembly of the method
        part = "JIT code: " + (asm[-1] if asm else "runtime stubs" if sym.startswith("stub ") else "other")
    else:
        part = {"[kernel.kallsyms]": "kernel", "libcoreclr.so": "runtime (libcoreclr: GC, stubs, type system)"}.get(dso, dso)
    parts[part] += pct; rows.append((pct, dso, sym))
print(f"\n-- by component, % of the process samples --")
for part, pct in parts.most_common(top): print(f"{pct:6.2f}  {part}")
print(f"\n-- top {top} symbols --")
for pct, dso, sym in rows[:top]: print(f"{pct:6.2f}  {dso[:18]:18}  {sym[:170]}")
' "$TOP"
  fi
  echo
  echo "== dotnet-trace: managed code on CPU (EventPipe samples ending in CPU_TIME) =="
  under_load "$TRACE" collect -p "$PID" --profile dotnet-sampled-thread-time --duration "00:00:00:$SECS" --format Speedscope -o "$OUT.nettrace" > /dev/null
  python3 - "$OUT.speedscope.json" "$TOP" <<'EOF'
import collections, json, sys
doc = json.load(open(sys.argv[1])); top = int(sys.argv[2])
names = [f["name"] for f in doc["shared"]["frames"]]
excl, incl, by_asm, kinds = collections.Counter(), collections.Counter(), collections.Counter(), collections.Counter()
for profile in doc["profiles"]:  # one per thread: frames opened and closed at times in ms
    stack, last = [], None
    for e in profile["events"]:
        if stack and last is not None and e["at"] > last:
            w, leaf = e["at"] - last, names[stack[-1]]
            kinds[leaf if leaf in ("CPU_TIME", "UNMANAGED_CODE_TIME") else "other"] += w
            if leaf == "CPU_TIME" and len(stack) > 1:
                excl[names[stack[-2]]] += w
                by_asm[names[stack[-2]].split("!")[0]] += w
                for f in set(stack[:-1]):
                    if "!" in names[f]: incl[names[f]] += w  # module!method frames, not the process and thread roots
        last = e["at"]
        if e["type"] == "O": stack.append(e["frame"])
        else: stack.pop()
cpu, total = kinds["CPU_TIME"], sum(kinds.values())
print(f"threads {len(doc['profiles'])}; sampled thread time {total / 1000:.1f} s: managed code on CPU {100 * cpu / total:.1f} %, "
      f"native code or waiting {100 * kinds['UNMANAGED_CODE_TIME'] / total:.1f} %")
for title, counter in (("exclusive", excl), ("inclusive", incl), ("by assembly (exclusive)", by_asm)):
    print(f"\n-- top {top} {title}, % of managed CPU --")
    for name, w in counter.most_common(top): print(f"{100 * w / cpu:6.2f}  {name[:160]}")
EOF
} 2>&1 | tee "$OUT.txt"
echo "report: $OUT.txt"
