#!/usr/bin/env bash
# The idle cost of the event-log stream's polling: a persistent single silo (src/Silo) with nothing to do, for
# POLL_SECONDS (default 60) after 12 s of start-up, once per poll period given (default: 00:00:10, a baseline that
# hardly polls, then 00:00:00.050, the default), POLL_ROUNDS (default 2) interleaved rounds. Prints the CPU time of
# PostgreSQL (the postmaster and its children) and of the silo over the measured window.
#   bench/run-event-log-poll-cost.sh                        # 00:00:10 against 00:00:00.050
#   bench/run-event-log-poll-cost.sh 00:00:00.020 00:00:00.050
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
SECONDS_MEASURED=${POLL_SECONDS:-60}
ROUNDS=${POLL_ROUNDS:-2}
PERIODS=("$@"); [ ${#PERIODS[@]} -gt 0 ] || PERIODS=(00:00:10 00:00:00.050)
dotnet build -c Release src/Silo -v q -nologo | grep -E " error |rror\(s\)" || true
echo "machine: $(bench_machine)"
bench_fresh_database inmemorydb_bench_pollcost
PGDATA_DIR=${INMEMORYDB_SERVICES_DIR:-${TMPDIR:-/tmp}/inmemorydb-services-${INMEMORYDB_PG_PORT:-55432}}/pgdata
POSTMASTER=$(head -1 "$PGDATA_DIR/postmaster.pid")
TICKS=$(getconf CLK_TCK)

# pid and CPU ticks of the postmaster and each of its children
pg_snapshot() { for p in $POSTMASTER $(pgrep -P "$POSTMASTER"); do awk -v p="$p" '{print p, $14 + $15}' "/proc/$p/stat" 2>/dev/null || true; done; }
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

for round in $(seq 1 "$ROUNDS"); do
  for period in "${PERIODS[@]}"; do
    Logging__LogLevel__Default=Warning Orleans__ServiceId="pollcost-$round" Orleans__SiloPort=21111 Orleans__GatewayPort=31000 \
      InMemoryDb__EventLogStreams__PollPeriod="$period" dotnet src/Silo/bin/Release/net10.0/InMemoryDb.Silo.dll \
      > "${TMPDIR:-/tmp}/inmemorydb-pollcost.log" 2>&1 &
    silo=$!
    sleep 12
    before=$(mktemp); after=$(mktemp)
    pg_snapshot > "$before"; silo_before=$(cpu_ticks "$silo")
    sleep "$SECONDS_MEASURED"
    pg_snapshot > "$after"; silo_after=$(cpu_ticks "$silo")
    bench_stop "$silo"
    # A process that exited in the window is not counted; a new one counts from zero.
    pg=$(awk 'NR == FNR { a[$1] = $2; next } { d = $2 - (($1 in a) ? a[$1] : 0); if (d > 0) t += d } END { print t + 0 }' "$before" "$after")
    rm -f "$before" "$after"
    echo "round $round, poll period $period, ${SECONDS_MEASURED} s idle: PostgreSQL CPU $((pg * 1000 / TICKS)) ms, silo CPU $(((silo_after - silo_before) * 1000 / TICKS)) ms"
  done
done
