#!/usr/bin/env bash
# smoke-topology.sh [BIN] — the production topology on loopback, one case through it, then stop.
#
# Starts PostgreSQL (scripts/pg-server.sh, a throwaway cluster on a free port — or the server of
# $ZHIFA_TEST_PG_URL, in a database of its own), SeaweedFS's S3 gateway (scripts/s3-server.sh —
# or $ZHIFA_TEST_S3_URL, in a bucket of its own), runs the migrations, checks the object store
# (`zhifa objectstore --create-bucket --check`), loads minimal data, starts two gunicorn web
# processes (deploy/gunicorn.conf.py) on free ports and $SMOKE_WORKERS task workers
# (`manage.py run_worker`, default 2; SMOKE_WORKERS=0 where the task layer is not installed),
# then drives one case through the HTTP API (scripts/smoke_topology.py: resumable upload sent to
# both web processes, on-the-spot decision, document generation, download, verification, the
# objects checked in the bucket). Everything started is stopped, and the temporary directory
# removed, whatever happens. BIN is the virtualenv's bin directory (default .venv/bin).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$root/.venv/bin}
py="$bin/python"
workers=${SMOKE_WORKERS:-2}
started_at=$(date +%s)
work=$(mktemp -d "${TMPDIR:-/tmp}/zhifa-smoke.XXXXXX")
chmod 0755 "$work"  # the postgres user must reach the cluster directory below it
pids=()
pg_port=""

log() { echo "[smoke $(( $(date +%s) - started_at ))s] $*"; }
free_port() { "$py" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

cleanup() {
  status=$?
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  done
  [ -z "${ZHIFA_TEST_S3_URL:-}" ] && "$root/scripts/s3-server.sh" stop "$work/s3" || true
  if [ -n "$pg_port" ]; then
    "$root/scripts/pg-server.sh" stop "$work/pg" "$pg_port" || true
  elif [ -n "${db:-}" ]; then  # a database of its own on CI's server: drop it
    "$py" -c 'import sys, psycopg; psycopg.connect(sys.argv[1], autocommit=True).execute(f"DROP DATABASE IF EXISTS \"{sys.argv[2]}\" WITH (FORCE)")' \
      "$server_url/postgres" "$db" || true
  fi
  if [ "$status" -ne 0 ]; then
    echo "冒烟测试失败；各进程日志：" >&2
    for f in "$work"/*.log; do [ -f "$f" ] && { echo "== $f" >&2; tail -30 "$f" >&2; }; done
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT INT TERM

# --- PostgreSQL ---
if [ -n "${ZHIFA_TEST_PG_URL:-}" ]; then
  server_url=${ZHIFA_TEST_PG_URL%/*}
else
  pg_port=$(free_port)
  "$root/scripts/pg-server.sh" start "$work/pg" "$pg_port"
  server_url="postgres://postgres@127.0.0.1:$pg_port"
fi
db="zhifa_smoke_$$"
"$py" - "$server_url/postgres" "$db" <<'EOF'
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as conn:
    conn.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}"')
    conn.execute(f'CREATE DATABASE "{sys.argv[2]}"')
EOF
log "PostgreSQL: $server_url/$db"

# --- object store ---
if [ -n "${ZHIFA_TEST_S3_URL:-}" ]; then
  s3_url=$ZHIFA_TEST_S3_URL
else
  s3_url=$(PYTHON="$py" "$root/scripts/s3-server.sh" start "$work/s3")
fi
log "SeaweedFS S3: $s3_url"

export ZHIFA_DATABASE_URL="$server_url/$db"
export ZHIFA_VAR_DIR="$work/var"
export ZHIFA_SECRET_KEY="smoke-topology-secret-key-not-for-production-0123456789"
export ZHIFA_S3_ENDPOINT="$s3_url" ZHIFA_S3_BUCKET="zhifa-smoke" ZHIFA_S3_PREFIX="run-$$-$(date +%s)"
export ZHIFA_S3_ACCESS_KEY="zhifa" ZHIFA_S3_SECRET_KEY="zhifa-smoke-secret" ZHIFA_S3_PART_MB=5
export ZHIFA_CACHE_URL="file://$work/cache"
export ZHIFA_ALLOWED_HOSTS="127.0.0.1,localhost"
export ZHIFA_PUBLIC_RATE_LIMIT="0/60"
export ZHIFA_WEB_WORKERS=1 ZHIFA_WEB_THREADS=4
cd "$root"

"$py" manage.py migrate --noinput >"$work/migrate.log" 2>&1
log "migrations applied"
"$py" manage.py objectstore --create-bucket --check
data=$("$py" scripts/smoke_topology.py data)
log "minimal data loaded"

# --- two web processes, M workers ---
urls=()
for n in 1 2; do
  port=$(free_port)
  ZHIFA_BIND="127.0.0.1:$port" "$bin/gunicorn" -c deploy/gunicorn.conf.py zhifa.wsgi:application \
    >"$work/web$n.log" 2>&1 &
  pids+=($!); disown $!
  urls+=("http://127.0.0.1:$port")
done
for n in $(seq 1 "$workers"); do
  "$py" manage.py run_worker >"$work/worker$n.log" 2>&1 &
  pids+=($!); disown $!
done
for url in "${urls[@]}"; do
  for _ in $(seq 1 120); do
    curl -fsS "$url/healthz" >/dev/null 2>&1 && break
    sleep 0.5
  done
  curl -fsS "$url/healthz" >/dev/null || { echo "web 进程 $url 未就绪" >&2; exit 1; }
done
log "web processes ${urls[*]} ready; $workers worker(s)"

"$py" scripts/smoke_topology.py drive "$data" "${urls[@]}"

for pid in "${pids[@]}"; do
  kill -0 "$pid" 2>/dev/null || { echo "进程 $pid 已意外退出" >&2; exit 1; }
done
log "all processes still running; stopping"
