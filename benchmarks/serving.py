"""gunicorn on a benchmark's database: requests timed over HTTP, the way users make them.

The Django test client keeps one database connection for a whole run and skips the WSGI server;
a request a user makes goes through gunicorn and, unless connections persist, opens one
(3.5 ms on SQLite: ``zhifa/settings.py``). Benchmarks that time requests therefore also time
them here."""

import http.client
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# gunicorn's start (imports, system checks) took over 30 s on a 2-core machine at load 15
START_SECONDS = 180


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(port: int, path: str, headers: dict | None = None):
    """(status, body) of one GET on a new connection."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request("GET", path, headers=headers or {})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response.status, body


class Server:
    """gunicorn serving ``zhifa.wsgi`` on a free loopback port with ``env`` (on top of this
    process's environment without its ZHIFA_ variables) and gunicorn's ``arguments``."""

    def __init__(self, env: dict, *arguments: str):
        self.port = free_port()
        environment = {k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_")}
        environment.update({"DJANGO_SETTINGS_MODULE": "zhifa.settings", **env})
        gunicorn = Path(sys.executable).parent / "gunicorn"
        self.process = subprocess.Popen(
            [str(gunicorn), "zhifa.wsgi:application", *arguments, "--bind", f"127.0.0.1:{self.port}",
             "--log-level", "warning", "--timeout", str(START_SECONDS)],
            cwd=ROOT, env=environment, stdout=subprocess.DEVNULL)
        deadline = time.time() + START_SECONDS
        while time.time() < deadline:
            try:
                status, _ = get(self.port, "/healthz")
                if status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("gunicorn 未能启动")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()
