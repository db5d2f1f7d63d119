#!/usr/bin/env bash
# Install (if missing) and start a local PostgreSQL for the test suite, and create the
# test role and database. Prints the URL to use as TEST_PG_URL. Idempotent.
set -euo pipefail
# Only the URL goes to stdout (callers capture it); everything else, including messages
# such as pg_ctlcluster's "Removed stale pid file.", goes to stderr.
exec 3>&1 1>&2
export DEBIAN_FRONTEND=noninteractive
if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  apt-get update -qq >/dev/null
  apt-get install -y -qq postgresql >/dev/null
fi
ver=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
if ! pg_lsclusters -h | grep -q "^$ver main"; then
  pg_createcluster "$ver" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $4}' | grep -q online; then
  # 3>&-: the server must not inherit the caller's capture pipe, or $(...) never returns.
  pg_ctlcluster "$ver" main start 3>&-
fi
port=$(pg_lsclusters -h | awk -v v="$ver" '$1==v && $2=="main" {print $3}')
for _ in $(seq 1 30); do
  runuser -u postgres -- pg_isready -q -p "$port" && break
  sleep 1
done
runuser -u postgres -- psql -q -p "$port" -tAc "SELECT 1 FROM pg_roles WHERE rolname='community_test'" | grep -q 1 \
  || runuser -u postgres -- psql -q -p "$port" -c "CREATE ROLE community_test LOGIN PASSWORD 'community_test' CREATEDB" >/dev/null
# A role left by an earlier run on this machine may differ: make it what the tests expect.
runuser -u postgres -- psql -q -p "$port" -c "ALTER ROLE community_test LOGIN PASSWORD 'community_test' CREATEDB" >/dev/null
runuser -u postgres -- psql -q -p "$port" -tAc "SELECT 1 FROM pg_database WHERE datname='community_test'" | grep -q 1 \
  || runuser -u postgres -- psql -q -p "$port" -c "CREATE DATABASE community_test OWNER community_test" >/dev/null
# Tests drop their databases WITH (FORCE); the role must be allowed to end an autovacuum
# worker still attached to them.
runuser -u postgres -- psql -q -p "$port" -c "GRANT pg_signal_backend TO community_test" >/dev/null
# max_connections default 100 is enough for the 50-way concurrency test.
echo "postgresql+psycopg://community_test:community_test@127.0.0.1:$port/community_test" >&3
