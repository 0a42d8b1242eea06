#!/usr/bin/env bash
# pg-server.sh start|stop DIR PORT — a throwaway PostgreSQL cluster on 127.0.0.1:PORT.
# PG_EXTRA_OPTIONS adds server settings, e.g. "-c shared_buffers=4GB" for a benchmark run
# sized like deploy/postgresql.conf.
set -euo pipefail
cmd=$1; dir=$2; port=$3
bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
# as root, run as the postgres user from / (it may not be allowed into the current directory)
as_pg() { if [ "$(id -u)" -eq 0 ]; then (cd / && runuser -u postgres -- "$@"); else "$@"; fi; }
case "$cmd" in
  start)
    if [ ! -f "$dir/PG_VERSION" ]; then
      mkdir -p "$dir"
      [ "$(id -u)" -eq 0 ] && chown postgres "$dir"
      as_pg "$bindir/initdb" -D "$dir" -A trust -U postgres -E UTF8 --locale=C.UTF-8 >/dev/null
    fi
    if ! as_pg "$bindir/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      as_pg "$bindir/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$dir -c fsync=off -c synchronous_commit=off -c full_page_writes=off ${PG_EXTRA_OPTIONS:-}" start >/dev/null
    fi
    ;;
  stop)
    as_pg "$bindir/pg_ctl" -D "$dir" -m fast -w stop >/dev/null 2>&1 || true
    ;;
esac
