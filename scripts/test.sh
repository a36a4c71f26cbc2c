#!/usr/bin/env bash
# Runs every test against a real PostgreSQL and Redis on loopback, which it starts (installing what is
# missing) and stops afterwards. Extra arguments go to 'dotnet test' (e.g. --filter Name~Join).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/local-services.sh start
trap 'scripts/local-services.sh stop' EXIT
eval "$(scripts/local-services.sh env)"
# INMEMORYDB_TEST_PG_OPTIONS (e.g. Multiplexing=true) is appended to the tests' PostgreSQL connection string.
if [ -n "${INMEMORYDB_TEST_PG_OPTIONS:-}" ]; then export INMEMORYDB_TEST_POSTGRES="$INMEMORYDB_TEST_POSTGRES;$INMEMORYDB_TEST_PG_OPTIONS"; fi
# The Dockerfiles publish src/Api and src/Silo: check both publish (no Docker engine is needed for that).
publish=$(mktemp -d)
for project in src/Api/Api.csproj src/Silo/Silo.csproj; do dotnet publish "$project" -c Release -o "$publish/$(basename "$project" .csproj)" -v q -nologo; done
rm -rf "$publish"
dotnet test InMemoryDb.sln -c Release --logger "console;verbosity=normal" "$@"
