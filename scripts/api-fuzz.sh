#!/usr/bin/env bash
# api-fuzz.sh BINDIR — fuzz every operation of the OpenAPI schema with schemathesis against a
# real server on loopback and fail on any 5xx (issue #10 item 13).
#
# Prepares a throwaway SQLite database with the demo data set in a temporary directory, gives
# an officer (market_officer, who writes cases) and a supervisor (supervisor, who reads a whole
# county) an API token, serves zhifa with gunicorn on a free loopback port and runs
# `st run … -c not_a_server_error` once per token, each bounded by FUZZ_SECONDS (default 60)
# and FUZZ_EXAMPLES per operation (default 10), with a fixed seed so a failure reproduces.
# The server log is printed when a run fails. Everything is removed on exit. FUZZ_VAR_DIR=DIR
# starts from a copy of a var directory that already holds the demo database (faster by hand).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$(cd "${1:-$root/.venv/bin}" && pwd)
seconds=${FUZZ_SECONDS:-60}
examples=${FUZZ_EXAMPLES:-10}
seed=${FUZZ_SEED:-2026}
users=${FUZZ_USERS:-market_officer supervisor}

work=$(mktemp -d "${TMPDIR:-/tmp}/zhifa-fuzz.XXXXXX")
server=""
cleanup() {
  if [ -n "$server" ]; then
    kill "$server" 2>/dev/null || true
    wait "$server" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

unset ZHIFA_DATABASE_URL
export ZHIFA_VAR_DIR="$work/var" ZHIFA_PUBLIC_RATE_LIMIT=0/60 ZHIFA_LOG_LEVEL=ERROR
cd "$root"
start=$(date +%s)
if [ -n "${FUZZ_VAR_DIR:-}" ]; then
  # iterate faster by hand: a copy of a var directory that already holds the demo database
  mkdir -p "$work/var" && cp -r "$FUZZ_VAR_DIR"/. "$work/var/"
  "$bin/python" manage.py migrate --noinput -v0
else
  "$bin/python" manage.py migrate --noinput -v0
  "$bin/python" manage.py load_demo >/dev/null
fi
for name in $users; do
  "$bin/python" manage.py shell -v0 -c "
from rest_framework.authtoken.models import Token
from zhifa.accounts.models import User
print('$name', Token.objects.get_or_create(user=User.objects.get(username='$name'))[0].key)" >>"$work/tokens"
done
port=$("$bin/python" -c "import socket; s = socket.socket(); s.bind(('127.0.0.1', 0)); print(s.getsockname()[1])")
"$bin/gunicorn" --workers 1 --bind "127.0.0.1:$port" --timeout 120 --error-logfile "$work/server.log" \
  --capture-output zhifa.wsgi:application >>"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
  curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break
  sleep 0.5
done
curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz"
# the schema once, with time to build it (schemathesis's own fetch gives up after 10 s)
curl -fsS --max-time 300 -o "$work/schema.json" "http://127.0.0.1:$port/api/schema/?format=json"
echo "API fuzz: demo data and server ready in $(( $(date +%s) - start )) s (127.0.0.1:$port)"

status=0
export SCHEMATHESIS_HOOKS="$root/scripts/api_fuzz_hooks.py"
while read -r name token; do
  echo "API fuzz as $name: at most $seconds s, $examples examples per operation, seed $seed"
  # run from the temporary directory: schemathesis keeps its state in ./.schemathesis
  if ! (cd "$work" && "$bin/st" run "$work/schema.json" --url "http://127.0.0.1:$port" -H "Authorization: Token $token" \
      --request-timeout 60 -c not_a_server_error -n "$examples" --max-time "$seconds" --seed "$seed" --no-color \
      >"$work/st-$name.txt" 2>&1); then
    # any failure counts: a 5xx, or an operation schemathesis cannot even call (a contract bug)
    status=1
    cat "$work/st-$name.txt"
    echo "---- server log ----"
    tail -n 200 "$work/server.log"
  fi
  grep -E "generated|Server error|in [0-9.]+s =" "$work/st-$name.txt" | sed "s/^/  /" || true
done <"$work/tokens"
echo "API fuzz: $(( $(date +%s) - start )) s in all"
exit $status
