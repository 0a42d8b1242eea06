#!/usr/bin/env bash
# Run a command with ZHIFA_DATABASE_URL pointing at a real PostgreSQL server on loopback.
# Uses $ZHIFA_TEST_PG_URL when given (CI starts the server); otherwise starts a throwaway
# cluster for the duration of the command, in a fresh directory under $TMPDIR (/tmp) that the
# postgres user can reach — not under the checkout, which may live where that user cannot
# traverse (/root/…, a `mktemp -d` directory) — and removes it afterwards. Fails, never skips,
# when PostgreSQL is not installed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
if [ -n "${ZHIFA_TEST_PG_URL:-}" ]; then
  ZHIFA_DATABASE_URL="$ZHIFA_TEST_PG_URL" exec "$@"
fi
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
  echo "PostgreSQL 服务器未安装（需要 Debian 软件包 postgresql）；PostgreSQL 测试不能运行。" >&2
  exit 1
fi
port=${ZHIFA_PG_PORT:-54329}
dir=$(mktemp -d "${TMPDIR:-/tmp}/zhifa-pgtest.XXXXXX")
chmod 0755 "$dir"  # the postgres user must reach the cluster directory below it
cleanup() {
  "$root/scripts/pg-server.sh" stop "$dir/data" "$port"
  rm -rf "$dir"
}
trap cleanup EXIT
"$root/scripts/pg-server.sh" start "$dir/data" "$port"
ZHIFA_DATABASE_URL="postgres://postgres@127.0.0.1:$port/zhifa" "$@"
