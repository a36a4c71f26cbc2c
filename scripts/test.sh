#!/usr/bin/env bash
# Runs every test against a real PostgreSQL and Redis on loopback, which it starts (installing what is
# missing) and stops afterwards. Extra arguments go to 'dotnet test' (e.g. --filter Name~Join).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/local-services.sh start
trap 'scripts/local-services.sh stop' EXIT
eval "$(scripts/local-services.sh env)"
dotnet test InMemoryDb.sln -c Release --logger "console;verbosity=normal" "$@"
