#!/usr/bin/env bash
# A throwaway PostgreSQL for the head-office tests.
#
#   eval "$(bash scripts/pg.sh start)"   # prints the two export lines below
#     export KIOSK_TEST_PG_URL='postgres://kiosk_test:…@127.0.0.1:PORT/postgres'
#     export KIOSK_TEST_PG_DIR='/tmp/kiosk-pg.XXXXXX'
#   bash scripts/pg.sh stop "$KIOSK_TEST_PG_DIR"     # stop it and remove the directory
#   bash scripts/pg.sh crash "$KIOSK_TEST_PG_DIR"    # stop at once, as a crash would (pg_ctl -m immediate)
#   bash scripts/pg.sh restart "$KIOSK_TEST_PG_DIR"  # start it again, same port, same data
#
# start installs the server from Debian's packages when it is missing (as
# scripts/test.sh does for tmux), makes a cluster in a new temporary
# directory, and starts it on a free loopback port; as the `postgres` user
# when run as root, since PostgreSQL refuses to run as root. The tests'
# user is a superuser with a random password (so the tests can make their
# own databases and roles, and try a wrong password); the password is in a
# file of the cluster's directory and in the printed URL, never in argv.
set -euo pipefail

die() { echo "pg.sh: $*" >&2; exit 1; }

cleanup_dir=""

bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

install_server() {
  [ -n "$(bindir)" ] && [ -x "$(bindir)/initdb" ] && return
  echo "installing PostgreSQL for the head-office tests…" >&2
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq postgresql >/dev/null
  [ -x "$(bindir)/initdb" ] || die "PostgreSQL was installed but no initdb is under /usr/lib/postgresql/*/bin"
}

# as_owner runs a server command as the cluster's owner.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# checked_dir refuses anything but a directory this script made.
checked_dir() {
  local dir="${1:-}"
  [ -n "$dir" ] || die "name the cluster's directory (KIOSK_TEST_PG_DIR)"
  case "$dir" in
    /tmp/kiosk-pg.*) ;;
    *) die "$dir is not a directory pg.sh made" ;;
  esac
  [ -f "$dir/.kiosk-pg" ] || die "$dir is not a cluster pg.sh made"
  echo "$dir"
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

start_server() {
  local dir=$1 bin
  bin=$(bindir)
  as_owner "$bin/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w -t 60 -s >/dev/null
}

start() {
  install_server
  local bin dir pw port
  bin=$(bindir)
  if [ "$(id -u)" -eq 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --home-dir /var/lib/postgresql --shell /bin/bash postgres
  fi
  dir=$(mktemp -d /tmp/kiosk-pg.XXXXXX)
  touch "$dir/.kiosk-pg"
  # Whatever fails from here on, the half-made cluster goes.
  cleanup_dir=$dir
  trap '[ -z "$cleanup_dir" ] || stop_quiet "$cleanup_dir"' EXIT
  pw=$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')
  (umask 077; printf '%s\n' "$pw" >"$dir/pwfile")
  [ "$(id -u)" -eq 0 ] && chown -R postgres: "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U kiosk_test --pwfile="$dir/pwfile" \
    --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; die "initdb failed"; }
  for _ in $(seq 1 30); do
    port=$((20000 + RANDOM % 20000))
    port_in_use "$port" && continue
    cat >>"$dir/data/postgresql.conf" <<EOF
# scripts/pg.sh: loopback only, a socket in the cluster's own directory
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$dir'
max_connections = 200
EOF
    if start_server "$dir" 2>>"$dir/start.log"; then
      printf "export KIOSK_TEST_PG_URL='postgres://kiosk_test:%s@127.0.0.1:%s/postgres?sslmode=disable'\n" "$pw" "$port"
      printf "export KIOSK_TEST_PG_DIR='%s'\n" "$dir"
      echo "pg.sh: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port in $dir" >&2
      cleanup_dir=""
      return
    fi
    grep -q "already in use" "$dir/server.log" 2>/dev/null || { cat "$dir/server.log" >&2 || true; die "the server did not start"; }
    sed -i '/^# scripts\/pg.sh/,$d' "$dir/data/postgresql.conf"
  done
  die "no free loopback port found"
}

stop_quiet() { stop "$1" >/dev/null 2>&1 || true; }

stop() {
  local dir bin
  dir=$(checked_dir "${1:-}")
  bin=$(bindir)
  if [ -f "$dir/data/postmaster.pid" ]; then
    as_owner "$bin/pg_ctl" stop -D "$dir/data" -m fast -w -s >/dev/null 2>&1 ||
      as_owner "$bin/pg_ctl" stop -D "$dir/data" -m immediate -w -s >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

crash() {
  local dir
  dir=$(checked_dir "${1:-}")
  as_owner "$(bindir)/pg_ctl" stop -D "$dir/data" -m immediate -w -s >/dev/null
}

restart() {
  local dir
  dir=$(checked_dir "${1:-}")
  start_server "$dir"
}

case "${1:-}" in
  start) start ;;
  stop) stop "${2:-}" ;;
  crash) crash "${2:-}" ;;
  restart) restart "${2:-}" ;;
  *) die "usage: pg.sh start | stop DIR | crash DIR | restart DIR" ;;
esac
