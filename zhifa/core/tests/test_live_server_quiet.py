"""The live server's request count, which lets a test with a live server end only after the
server has answered everything (the flush between tests shares the in-memory database
connection with the server's threads)."""

import socket
import threading
import urllib.request

import pytest
from django.db import connection
from django.http import HttpResponse
from django.urls import path

from zhifa.core.testing import track_live_server_requests

pytestmark = [pytest.mark.xdist_group("browser")]

RELEASE = threading.Event()


def held(request):
    """Answers once the test lets it."""
    RELEASE.wait(10)
    return HttpResponse("答复")


READING = threading.Event()
EVENTS = []


def reading(request):
    """Reads the user table with a statement left open until the test lets it finish."""
    from zhifa.accounts.models import User

    rows = User.objects.order_by("pk").values_list("username", flat=True).iterator(chunk_size=1)
    first = next(rows)
    READING.set()
    RELEASE.wait(10)
    names = [first, *rows]
    EVENTS.append("answered")
    return HttpResponse(",".join(names))


urlpatterns = [path("held/", held), path("reading/", reading)]


def test_a_request_counts_until_answered_and_a_kept_alive_connection_does_not(live_server, settings):
    settings.ROOT_URLCONF = __name__
    RELEASE.clear()
    requests = track_live_server_requests(live_server)
    assert track_live_server_requests(live_server) is requests, "installed once per server"
    assert requests.wait_idle(timeout=5)

    answers = []
    caller = threading.Thread(target=lambda: answers.append(urllib.request.urlopen(live_server.url + "/held/").read()))
    caller.start()
    assert requests.wait(lambda r: r.busy == 1, timeout=5), "the request is inside Django"
    assert not requests.wait_idle(timeout=0.3), "a request not yet answered counts"
    RELEASE.set()
    caller.join(10)
    assert answers == ["答复".encode()]
    assert requests.wait_idle(timeout=5)

    # a client keeping its connection open after an answer (HTTP/1.1 keep-alive) is not waited for
    with socket.create_connection((live_server.thread.host, live_server.thread.port)) as kept:
        kept.sendall(b"GET /held/ HTTP/1.1\r\nHost: localhost\r\n\r\n")
        assert kept.recv(65536).startswith(b"HTTP/1.1 200")
        assert requests.wait_idle(timeout=5) and requests.busy == 0


def test_the_test_thread_waits_for_a_request_on_the_connection_they_share(live_server, settings):
    """In-memory SQLite: the server thread and the test thread use one connection. The test
    thread's UPDATE of a table a request is still reading failed ("database table is locked");
    it now waits for the request to be answered."""
    from zhifa.accounts.models import User
    from zhifa.core.testing import make_user

    settings.ROOT_URLCONF = __name__
    for name in ("甲", "乙", "丙"):
        make_user(name)
    RELEASE.clear()
    READING.clear()
    EVENTS.clear()
    track_live_server_requests(live_server)
    answers = []
    caller = threading.Thread(
        target=lambda: answers.append(urllib.request.urlopen(live_server.url + "/reading/").read().decode()))
    caller.start()
    assert READING.wait(5), "the request is reading"
    threading.Timer(0.3, RELEASE.set).start()

    User.objects.filter(username="乙").update(display_name="乙（改）")
    EVENTS.append("updated")
    caller.join(10)
    assert answers == ["甲,乙,丙"]
    if connection.vendor == "sqlite":  # PostgreSQL's connections do not lock each other's reads (MVCC)
        assert EVENTS == ["answered", "updated"]
    assert User.objects.get(username="乙").display_name == "乙（改）"
