#!/usr/bin/env bash
# Run a command with a throw-away PostgreSQL server on a loopback port.
#
# PostgreSQL refuses to run as root, so when we are root (and PostgreSQL is
# installed) the server runs as an unprivileged user: the one named by
# INSERTION_TEST_PG_USER, else the "postgres" account the PostgreSQL packages
# create, else "insertion-pg", created on first use. A line on standard error
# says which, and when a user is created. The server lives in
# a temporary directory and is stopped when the command ends. Its URL is handed
# to the tests in INSERTION_TEST_POSTGRESQL_URL. When no PostgreSQL is
# installed the command runs without it: the tests that need it skip with a
# reason locally, and fail under CI=true.
set -euo pipefail

if [ -n "${INSERTION_TEST_POSTGRESQL_URL:-}" ]; then exec "$@"; fi

pg_bin=""
for dir in /usr/lib/postgresql/*/bin; do
  [ -x "$dir/initdb" ] && pg_bin="$dir"
done
if [ -z "$pg_bin" ]; then
  command -v initdb >/dev/null 2>&1 && pg_bin="$(dirname "$(command -v initdb)")"
fi
if [ -z "$pg_bin" ]; then
  echo "with-postgresql: no PostgreSQL found; PostgreSQL tests will not run" >&2
  exec "$@"
fi

run_as=()
if [ "$(id -u)" = "0" ]; then
  why="PostgreSQL refuses to run as root"
  pg_user="${INSERTION_TEST_PG_USER:-}"
  if [ -n "$pg_user" ]; then
    id -u "$pg_user" >/dev/null 2>&1 || { echo "with-postgresql: INSERTION_TEST_PG_USER: no user $pg_user" >&2; exit 2; }
  elif id -u postgres >/dev/null 2>&1; then
    pg_user=postgres
  else
    pg_user=insertion-pg
  fi
  if id -u "$pg_user" >/dev/null 2>&1; then
    echo "with-postgresql: running the test server as user $pg_user ($why)" >&2
  else
    echo "with-postgresql: creating system user $pg_user to run the test server ($why)" >&2
    useradd --system --no-create-home --shell /usr/sbin/nologin "$pg_user"
  fi
  run_as=(runuser -u "$pg_user" --)
fi

data=$(mktemp -d /tmp/insertion-pg.XXXXXX)
chmod 755 "$data"
[ ${#run_as[@]} -gt 0 ] && chown "$pg_user" "$data"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

cleanup() {
  "${run_as[@]}" "$pg_bin/pg_ctl" -D "$data/db" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$data"
}
trap cleanup EXIT

"${run_as[@]}" "$pg_bin/initdb" -D "$data/db" -U insertion --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${run_as[@]}" "$pg_bin/pg_ctl" -D "$data/db" -l "$data/log" -w \
  -o "-h 127.0.0.1 -p $port -k $data -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
"${run_as[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U insertion insertion_test

export INSERTION_TEST_POSTGRESQL_URL="postgresql+psycopg://insertion@127.0.0.1:$port/insertion_test"
"$@"
