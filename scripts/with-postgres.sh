#!/usr/bin/env bash
# Run a command with DATABASE_URL pointing at a throwaway PostgreSQL server on 127.0.0.1.
#
#   scripts/with-postgres.sh .venv/bin/pytest tests/web tests/e2e     (what `make test-postgres` runs)
#
# Installs Debian's postgresql package when no server binaries are found (root only), makes a
# data folder in a temporary directory (initdb as the 'postgres' user when run as root), starts
# the server on a free loopback port with its socket in that folder, creates a login role with
# CREATEDB (Django's test runner creates and drops its own test database) and a database it owns,
# runs the command, then stops the server and deletes the folder, whatever happened (trap).
#
# Environment: PG_BIN (folder with initdb/pg_ctl; default: newest /usr/lib/postgresql/*/bin),
#              PG_PORT (default: a free port), KEEP_PG=1 (leave the data folder for a post-mortem).
set -euo pipefail

if [ "$#" -eq 0 ]; then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi

find_pg_bin() {
  if [ -n "${PG_BIN:-}" ]; then echo "$PG_BIN"; return; fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$dir" ] && [ -x "$dir/initdb" ]; then echo "$dir"; return; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
}

PG_BIN=$(find_pg_bin)
if [ -z "$PG_BIN" ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "with-postgres: installing PostgreSQL (apt-get install -y postgresql)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q postgresql >/dev/null || { apt-get update -q >/dev/null && apt-get install -y -q postgresql >/dev/null; }
    PG_BIN=$(find_pg_bin)
  fi
  if [ -z "$PG_BIN" ]; then
    echo "with-postgres: no PostgreSQL server found; install it (Debian: apt-get install postgresql) or set PG_BIN" >&2
    exit 3
  fi
fi

PYTHON=${PYTHON:-python3}
PORT=${PG_PORT:-$("$PYTHON" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/postcheck-pg.XXXXXX")
DATA="$WORK/data"
PASSWORD=$("$PYTHON" -c 'import secrets; print(secrets.token_hex(16))')
DB_USER=postcheck
DB_NAME=postcheck

# initdb and the server refuse to run as root: use the 'postgres' account the package creates.
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir "$WORK" --shell /usr/sbin/nologin postgres
  chown postgres "$WORK"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

stop_server() {
  local status=$?
  if [ -f "$DATA/postmaster.pid" ]; then
    as_pg "$PG_BIN/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null 2>&1 || true
  fi
  if [ "${KEEP_PG:-0}" = 1 ]; then
    echo "with-postgres: kept $WORK" >&2
  else
    rm -rf "$WORK"
  fi
  exit "$status"
}
trap stop_server EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "with-postgres: $("$PG_BIN/postgres" --version) on 127.0.0.1:$PORT, data in $DATA" >&2
# Local (socket) connections for this script's set-up only; TCP needs the password.
as_pg "$PG_BIN/initdb" -D "$DATA" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
  --encoding=UTF8 --locale=C.UTF-8 --no-sync >"$WORK/initdb.log" 2>&1 \
  || { cat "$WORK/initdb.log" >&2; exit 1; }
# fsync off: a test server's data is thrown away; the suite runs much faster without the flushes.
as_pg "$PG_BIN/pg_ctl" -D "$DATA" -l "$WORK/server.log" -w -t 60 start \
  -o "-c listen_addresses=127.0.0.1 -p $PORT -k $WORK -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  >/dev/null || { cat "$WORK/server.log" >&2; exit 1; }

as_pg "$PG_BIN/psql" -q -v ON_ERROR_STOP=1 -h "$WORK" -p "$PORT" -U postgres -d postgres \
  -c "CREATE ROLE $DB_USER LOGIN CREATEDB PASSWORD '$PASSWORD'" \
  -c "CREATE DATABASE $DB_NAME OWNER $DB_USER"

export DATABASE_URL="postgres://$DB_USER:$PASSWORD@127.0.0.1:$PORT/$DB_NAME"
echo "with-postgres: DATABASE_URL=postgres://$DB_USER:***@127.0.0.1:$PORT/$DB_NAME" >&2
"$@"
