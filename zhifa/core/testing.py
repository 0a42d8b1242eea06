"""Test helpers shared by every app: a small organisation tree with two counties, and users.

``org_tree()`` builds (fictional) 秦川市 619900 with 云岭县 619921 (three townships) and
青石县 619922, each county with a market-regulation bureau and a comprehensive enforcement
bureau, a unit in each, and a township comprehensive enforcement office. Tests across apps
use it so that "another county's data" means the same thing everywhere.
"""

from __future__ import annotations

import datetime
import http.server
import json
import select
import socketserver
import threading
import time
from types import SimpleNamespace
from unittest import mock

from zhifa.accounts import roles
from zhifa.accounts.models import User
from zhifa.core import clock
from zhifa.orgs.models import Agency, Region, Unit

PASSWORD = "zhifa-test-pass-1"


def org_tree() -> SimpleNamespace:
    """Create the standard test tree and return its nodes by name."""
    t = SimpleNamespace()
    t.province = Region.objects.create(code="610000", name="陕西省")
    t.city = Region.objects.create(code="619900", name="秦川市", parent=t.province)
    t.county = Region.objects.create(code="619921", name="云岭县", parent=t.city)
    t.other_county = Region.objects.create(code="619922", name="青石县", parent=t.city)
    t.township = Region.objects.create(code="619921001", name="云岭镇", parent=t.county)
    t.market = Agency.objects.create(name="云岭县市场监督管理局", short_name="云岭县市场监管局", region=t.county)
    t.comprehensive = Agency.objects.create(
        name="云岭县综合行政执法局", short_name="云岭县综合执法局", region=t.county, kind="comprehensive"
    )
    t.township_office = Agency.objects.create(
        name="云岭镇综合行政执法办公室", region=t.township, kind="comprehensive", legal_status="authorised"
    )
    t.other_market = Agency.objects.create(name="青石县市场监督管理局", region=t.other_county)
    t.justice = Agency.objects.create(name="云岭县司法局", region=t.county, kind="supervision")
    t.market_unit = Unit.objects.create(agency=t.market, name="稽查大队", kind="squad")
    t.township_team = Unit.objects.create(agency=t.township_office, name="云岭镇执法队", kind="township_team")
    t.other_unit = Unit.objects.create(agency=t.other_market, name="稽查大队", kind="squad")
    return t


def make_user(username: str, role: str = roles.OFFICER, *, region=None, agency=None, unit=None, **extra) -> User:
    """A user with a role, attached to one organisation node."""
    user = User(username=username, display_name=extra.pop("display_name", username), role=role,
                region=region, agency=agency, unit=unit, **extra)
    user.set_password(PASSWORD)
    user.save()
    return user


def fields() -> dict:
    """Standard enforcement fields (执法领域) by code."""
    from zhifa.orgs.models import EnforcementField

    data = [("SCJG", "市场监管"), ("STHJ", "生态环境"), ("CSGL", "城市管理"), ("ZRZY", "自然资源"), ("YJGL", "应急管理")]
    return {code: EnforcementField.objects.get_or_create(code=code, defaults={"name": name})[0] for code, name in data}


FOOD_LABEL_VERSION = {
    "name": "对经营标签不符合规定的食品的行政处罚", "law_name": "《中华人民共和国食品安全法》", "article": 125,
    "paragraph": 1, "item_no": 2, "basis_text": "经营标签不符合本法规定的食品。",
    "penalty_basis": "《中华人民共和国食品安全法》第一百二十五条第一款第（二）项",
    "violated_provision": "《中华人民共和国食品安全法》第七十一条第一款",
}


def food_label_item(agency):
    """The penalty item most tests use: 食品安全法第一百二十五条第一款第（二）项 (food with a
    non-compliant label), of ``agency``, in force since 2019."""
    from zhifa.catalog import services as catalog

    return catalog.create_item(agency=agency, code="SCJG-CF-0125", kind="penalty", field=fields()["SCJG"],
                               valid_from=datetime.date(2019, 1, 1), version=dict(FOOD_LABEL_VERSION))


def xlsx_file(headers: list[str], rows: list, name: str = "data.xlsx"):
    """An in-memory xlsx in the import layout (sheet "数据"): ``rows`` are lists in header
    order or dicts keyed by header. The buffer has a ``name`` so it can be uploaded."""
    import io

    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "数据"
    ws.append(headers)
    for row in rows:
        ws.append([row.get(h) for h in headers] if isinstance(row, dict) else list(row))
    buffer = io.BytesIO()
    wb.save(buffer)
    buffer.seek(0)
    buffer.name = name
    return buffer


def spec_headers(spec) -> list[str]:
    """The column headers of an Excel spec (class or instance)."""
    return [c.header for c in spec.columns]


def drain_job_queue() -> int:
    """Run every queued job in this process through django-q2's own worker and monitor, as a
    cluster does (outside django-q2's sync mode, which raises instead of recording a failure):
    successes and failures are recorded and acknowledged. Returns how many runs were taken."""
    from multiprocessing import Queue, Value

    from django_q.brokers import get_broker
    from django_q.monitor import monitor
    from django_q.signing import SignedPackage
    from django_q.worker import worker

    broker = get_broker()
    taken = 0
    # A cluster's processes close their stale database connections between runs; here, in the
    # test's own process and transaction, that would close the test's connection (PostgreSQL).
    with mock.patch("django_q.worker.close_old_django_connections", lambda: None), \
            mock.patch("django_q.monitor.close_old_django_connections", lambda: None):
        taken = _drain(broker, Queue, Value, SignedPackage, worker, monitor)
    return taken


def _drain(broker, Queue, Value, SignedPackage, worker, monitor) -> int:  # noqa: N803
    taken = 0
    while packages := broker.dequeue():
        for ack_id, package in packages:
            task = SignedPackage.loads(package)
            task["ack_id"] = ack_id
            tasks, results = Queue(), Queue()
            tasks.put(task)
            tasks.put("STOP")
            worker(tasks, results, Value("f", -1))
            results.put("STOP")
            monitor(results, broker)
            taken += 1
    return taken


class _LoopbackServer:
    """A server thread on 127.0.0.1 that can be taken down and brought back on the same port."""

    def __init__(self):
        self.port = 0
        self._server = None
        self._thread = None

    def _serve(self, server) -> None:
        self._server = server
        self.port = server.server_address[1]
        self._thread = threading.Thread(target=server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._thread.join(5)
            self._server = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


class RecordingReceiver(_LoopbackServer):
    """A real HTTP server on loopback that receives outbox deliveries (or any JSON POST), for tests.

    ``with RecordingReceiver() as receiver:`` starts it on a free port; ``receiver.url`` is its
    address, ``receiver.events`` the JSON bodies it accepted (in arrival order) and
    ``receiver.requests`` every request with its headers. ``stop()`` takes it down (connections
    are refused, as when a hotline system is down) and ``start()`` brings it back on the same
    port; ``fail_next(n)`` answers the next n requests with 503."""

    def __init__(self):
        super().__init__()
        self.events: list[dict] = []
        self.requests: list[dict] = []
        self._failures = 0
        self._lock = threading.Lock()

    # -- lifecycle
    def start(self) -> RecordingReceiver:
        handler = self._handler()
        server_class = type("ReusingServer", (http.server.ThreadingHTTPServer,), {"allow_reuse_address": True})
        self._serve(server_class(("127.0.0.1", self.port), handler))
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/events"

    def fail_next(self, count: int) -> None:
        with self._lock:
            self._failures = count

    def _handler(self):
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802  (http.server's naming)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with receiver._lock:
                    receiver.requests.append({"path": self.path, "headers": dict(self.headers), "body": body})
                    failing = receiver._failures > 0
                    if failing:
                        receiver._failures -= 1
                    else:
                        receiver.events.append(json.loads(body or b"{}"))
                self.send_response(503 if failing else 200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": false}' if failing else b'{"ok": true}')

            def log_message(self, *args):  # keep test output quiet
                pass

        return Handler


class ZhifaServer(_LoopbackServer):
    """This project served over real HTTP on loopback by a thread (wsgiref), for tests where one
    zhifa instance talks to another (the exchange's receiving side). ``stop()`` takes it down
    (connections refused) and ``start()`` brings it back on the same port. Use it in tests with
    ``django_db(transaction=True)`` so the server's thread sees the committed rows."""

    def start(self) -> ZhifaServer:
        from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

        from django.core.handlers.wsgi import WSGIHandler

        class QuietHandler(WSGIRequestHandler):
            def log_message(self, *args):
                pass

        class ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
            daemon_threads = True
            allow_reuse_address = True

        self._serve(make_server("127.0.0.1", self.port, WSGIHandler(), server_class=ThreadingServer,
                                handler_class=QuietHandler))
        return self

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def fix_today(monkeypatch, day: datetime.date, *, hour: int = 15):
    """Freeze ``zhifa.core.clock`` on ``day`` (``now`` at ``hour``:00 UTC) for one test and return
    ``move_to(date)``, which moves the frozen day. The apps' ``fixed_today`` fixtures call it."""
    state = {"today": day}
    monkeypatch.setattr(clock, "today", lambda: state["today"])
    monkeypatch.setattr(clock, "now", lambda: datetime.datetime.combine(state["today"], datetime.time(hour, 0),
                                                                       tzinfo=datetime.UTC))

    def move_to(date: datetime.date) -> None:
        state["today"] = date

    return move_to



class LiveServerRequests:
    """The requests pytest-django's live server is handling, counted so a test can wait for none.

    The count is raised when Django's handler is called and lowered when the server closes the
    response (after ``request_finished``, which touches the database connection). A connection
    kept alive between requests does not count; one the server has not accepted yet shows as a
    readable listening socket, and a request read but not yet handed to Django is caught by
    waiting for the count to stay at zero a moment (``settle``).
    """

    settle = 0.05
    # How long a request waits for the test thread's statement (or another request) before it goes
    # on regardless: a view calling this same server would otherwise wait for itself forever.
    turn_timeout = 30

    def __init__(self, httpd):
        self.httpd = httpd
        self.busy = 0
        self.changed = threading.Condition()
        # Held by a request from Django's handler until its response is closed, and by the test
        # thread for each statement it runs on a connection it shares with the server.
        self.database = threading.RLock()
        self._serialized: set[int] = set()
        handler = httpd.get_app()

        def counted(environ, start_response):
            with self.changed:
                self.busy += 1
            held = self.database.acquire(timeout=self.turn_timeout)

            def finished():
                if held:
                    self.database.release()
                self._finished()

            try:
                return _ClosingResponse(handler(environ, start_response), finished)
            except BaseException:
                finished()
                raise

        httpd.set_app(counted)

    def serialize(self, connections) -> None:
        """Make the test thread's statements on ``connections`` wait for the request being
        handled, and requests wait for them.

        The server's threads open their own connections to the test's in-memory SQLite database
        (a shared cache, locked per table): the test thread's UPDATE of a table a request was still
        reading raised "database table is locked" (a login's reset of the authenticator while the
        one-time-password page's request read it)."""
        for connection in connections:
            if getattr(connection, "zhifa_turns", None) is self:
                continue
            connection.zhifa_turns = self
            connection.execute_wrappers.append(self._one_at_a_time)

    def _one_at_a_time(self, execute, sql, params, many, context):
        with self.database:
            return execute(sql, params, many, context)

    def _finished(self):
        with self.changed:
            self.busy -= 1
            self.changed.notify_all()

    def _waiting_to_be_accepted(self) -> bool:
        readable, _, _ = select.select([self.httpd.socket], [], [], 0)
        return bool(readable)

    def wait(self, condition, timeout: float) -> bool:
        """Wait until ``condition(self)`` holds; say whether it did within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        with self.changed:
            while not condition(self):
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                self.changed.wait(min(left, 0.02))
        return True

    def wait_idle(self, timeout: float) -> bool:
        """Wait until every request made so far has been answered and closed."""
        deadline = time.monotonic() + timeout
        while True:
            idle = self.wait(lambda s: s.busy == 0 and not s._waiting_to_be_accepted(),
                             max(0.0, deadline - time.monotonic()))
            if not idle:
                return False
            time.sleep(self.settle)
            if self.busy == 0 and not self._waiting_to_be_accepted():
                return True


class _ClosingResponse:
    """A WSGI response that calls ``done`` once the server has closed it."""

    def __init__(self, result, done):
        self.result, self.done = result, done

    def __iter__(self):
        return iter(self.result)

    def close(self):
        try:
            close = getattr(self.result, "close", None)
            if close is not None:
                close()
        finally:
            self.done()


def track_live_server_requests(live_server) -> LiveServerRequests:
    """Count the live server's requests and have them take turns on the in-memory database
    with the test thread (installed once per server; later calls return it; call it
    from the test's thread)."""
    from django.db import connections

    httpd = live_server.thread.httpd
    if getattr(httpd, "zhifa_requests", None) is None:
        httpd.zhifa_requests = LiveServerRequests(httpd)
    httpd.zhifa_requests.serialize(
        c for c in connections.all() if c.vendor == "sqlite" and c.is_in_memory_db())
    return httpd.zhifa_requests
