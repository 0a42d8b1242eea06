"""The live server's request count, which lets a browser test end only after the server has
answered everything (the flush between tests shares the in-memory database connection)."""

import socket

import pytest

from zhifa.core.testing import track_live_server_requests

pytestmark = [pytest.mark.xdist_group("browser")]


def test_the_server_counts_a_request_until_its_connection_is_done(live_server):
    requests = track_live_server_requests(live_server)
    assert track_live_server_requests(live_server) is requests, "installed once per server"
    assert requests.wait_idle(timeout=5)

    host, port = live_server.thread.host, live_server.thread.port
    with socket.create_connection((host, port)) as half_sent:
        half_sent.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\n")  # headers not finished
        assert not requests.wait_idle(timeout=0.3), "a connection not yet answered counts"
        assert requests.wait(lambda r: r.busy == 1, timeout=5), "the server took it on a thread"
    assert requests.wait_idle(timeout=5), "closing the connection ends the request's thread"

    with socket.create_connection((host, port)) as whole:
        whole.sendall(b"GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        answer = b""
        while chunk := whole.recv(65536):
            answer += chunk
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
    assert requests.wait_idle(timeout=5)
    assert requests.busy == 0
