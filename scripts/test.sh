#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it. Installs what the tests need
# (tmux, for the end-to-end test that drives the real binary; PostgreSQL,
# for the head-office tests) and checks formatting and vet before the
# race-enabled tests.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v tmux >/dev/null 2>&1; then
  echo "installing tmux for the end-to-end tests…"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq tmux >/dev/null
fi

unformatted=$(gofmt -l $(git ls-files '*.go' 2>/dev/null || find . -name '*.go'))
if [ -n "$unformatted" ]; then
  echo "gofmt would change:"; echo "$unformatted"; exit 1
fi
go vet ./...
if ! tidy=$(go mod tidy -diff 2>&1); then
  echo "go mod tidy would change go.mod/go.sum:"; echo "$tidy"; exit 1
fi
# The head-office tests run against a real PostgreSQL: a throwaway cluster
# on a loopback port (scripts/pg.sh), stopped and removed however this
# script ends. KIOSK_TEST_SUITE makes a test that needs it fail, not skip,
# if it is missing.
if [ -z "${KIOSK_TEST_PG_URL:-}" ]; then
  pg_env=$(bash scripts/pg.sh start) # a failed start stops the script here
  eval "$pg_env"
  trap 'bash scripts/pg.sh stop "$KIOSK_TEST_PG_DIR"' EXIT
fi
export KIOSK_TEST_SUITE=1
go test -race -count=1 -timeout 15m ./...
