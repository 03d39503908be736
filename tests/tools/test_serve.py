"""The development server: a status for every request, no folder listings, idle connections
dropped, aborted downloads not logged as errors, and 200 concurrent requests answered fast.

The server runs as ``make serve`` runs it, in its own process, on a small made-up site.
"""

from __future__ import annotations

import os
import selectors
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from build_scripts.paths import COMPLETE_MARK
from tests.helpers.repository import ROOT

IDLE_TIMEOUT = 1.0
CONCURRENT = 200  # requests in flight at once
ROUNDS = 10  # the load test sends a fixed 2,000 requests and then stops


@dataclass
class Server:
    port: int
    log: Path

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def _serve(tmp_path_factory: pytest.TempPathFactory, *options: str) -> Iterator[Server]:
    site = tmp_path_factory.mktemp("site")
    (site / "index.html").write_text("<!doctype html><title>Home</title>" + "<p>text</p>" * 4000, encoding="utf-8")
    (site / "assets" / "empty").mkdir(parents=True)
    (site / "assets" / "big.bin").write_bytes(bytes(range(256)) * 40_000)  # 10 MB, never compressed
    # Links and a FIFO inside the site: none may be followed out of it or read.
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.txt").write_text("not part of the site", encoding="utf-8")
    (outside / "index.html").write_text("not part of the site", encoding="utf-8")
    (site / "secret.txt").symlink_to(outside / "secret.txt")
    (site / "elsewhere").symlink_to(outside, target_is_directory=True)
    (site / "inside.html").symlink_to(site / "index.html")
    os.mkfifo(site / "pipe.txt")
    (site / COMPLETE_MARK).write_text("finished\n", encoding="utf-8")
    log = tmp_path_factory.mktemp("log") / "server.log"
    with log.open("w") as out:
        process = subprocess.Popen(
            [
                sys.executable,
                "-u",
                "-m",
                "tools.serve",
                "--port",
                "0",
                "--directory",
                str(site),
                "--idle-timeout",
                str(IDLE_TIMEOUT),
                *options,
            ],
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 15
    port = 0
    while time.monotonic() < deadline and process.poll() is None and not port:
        first = log.read_text().split("\n", 1)[0]
        if " at http://127.0.0.1:" in first:
            port = int(first.split("127.0.0.1:")[1].split("/")[0])
        else:
            time.sleep(0.05)
    if not port:
        process.kill()
        pytest.fail(f"the server did not start; it printed:\n{log.read_text()}")
    yield Server(port, log)
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    yield from _serve(tmp_path_factory)


@pytest.fixture(scope="module")
def quiet_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The same server without its request log, as the load test's subject."""
    yield from _serve(tmp_path_factory, "--quiet")


def exchange(port: int, request: bytes) -> bytes:
    """Send raw bytes; return everything the server sends back before it closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        sock.sendall(request)
        chunks = []
        while chunk := sock.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def status(response: bytes) -> int:
    first = response.split(b"\r\n", 1)[0]
    assert first.startswith(b"HTTP/1."), first[:80]
    return int(first.split()[1])


@pytest.mark.parametrize(
    ("request_bytes", "expected"),
    [
        (b"GET / HTTP/1.1\r\nHost: x\r\n\r\n", 200),
        (b"GET /a%00.html HTTP/1.1\r\n\r\n", 400),
        (b"GET /%ed%a0%80.html HTTP/1.1\r\n\r\n", 400),
        (b"GET /assets/empty/ HTTP/1.1\r\n\r\n", 404),
        (b"GET /assets/ HTTP/1.1\r\n\r\n", 404),
        (b"GET /assets/empty HTTP/1.1\r\n\r\n", 301),
        (b"GET /../../../etc/passwd HTTP/1.1\r\n\r\n", 404),
        (b"GET /" + b"a" * 5000 + b" HTTP/1.1\r\n\r\n", 404),
        (b"GET /" + b"a" * 70_000 + b" HTTP/1.1\r\n\r\n", 414),
        (b"garbage\r\n\r\n", 400),
        (b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03\r\n\r\n", 400),
        (b"GET / HTTP/9.9\r\n\r\n", 505),
        (b"GET / HTTP/1.x\r\n\r\n", 400),
        (b"POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n", 501),
        (b"DELETE / HTTP/1.1\r\n\r\n", 501),
        (b"GET / HTTP/1.1\r\n" + b"X: y\r\n" * 200 + b"\r\n", 431),
        (b"GET / HTTP/1.1\r\nX: " + b"y" * 70_000 + b"\r\n\r\n", 431),
        (b"GET /\r\n\r\n", 200),
        (b"GET /secret.txt HTTP/1.1\r\nAccept-Encoding: gzip\r\n\r\n", 404),
        (b"GET /secret.txt HTTP/1.1\r\n\r\n", 404),
        (b"GET /elsewhere/ HTTP/1.1\r\n\r\n", 404),
        (b"GET /elsewhere/secret.txt HTTP/1.1\r\n\r\n", 404),
        (b"GET /inside.html HTTP/1.1\r\n\r\n", 200),
        (b"GET /pipe.txt HTTP/1.1\r\n\r\n", 404),
    ],
    ids=[
        "ok",
        "nul byte",
        "surrogate escape",
        "folder without index",
        "assets folder",
        "folder without slash",
        "dot-dot",
        "long name",
        "request line too long",
        "one word",
        "tls hello",
        "unknown version",
        "bad version",
        "post",
        "delete",
        "too many headers",
        "header too long",
        "no version",
        "link out of the site, gzip",
        "link out of the site",
        "folder link out of the site",
        "file through a folder link",
        "link within the site",
        "fifo",
    ],
)
def test_every_request_gets_a_status(server: Server, request_bytes: bytes, expected: int) -> None:
    response = exchange(server.port, request_bytes)
    assert status(response) == expected
    assert b"Directory listing" not in response


def test_nothing_outside_the_site_is_sent(server: Server) -> None:
    for path in (b"/secret.txt", b"/elsewhere/", b"/elsewhere/index.html"):
        response = exchange(server.port, b"GET " + path + b" HTTP/1.1\r\nAccept-Encoding: gzip\r\n\r\n")
        assert b"not part of the site" not in response


@pytest.mark.parametrize("state", ["missing", "no mark", "empty"])
def test_a_folder_the_build_did_not_finish_is_refused(tmp_path: Path, state: str) -> None:
    site = tmp_path / "site"
    if state != "missing":
        site.mkdir()
    if state == "no mark":  # what a generator writes on its own, or a build stopped half-way
        (site / "index.html").write_text("<title>Home</title><script>document.title='RAN'</script>")
    result = subprocess.run(
        [sys.executable, "-m", "tools.serve", "--port", "0", "--directory", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    if state == "missing":
        assert lines[0] == f"{site} does not exist: build the site first (make build)"
    else:
        assert lines[0] == (
            f"refusing to serve {site}: the build did not finish it (no {COMPLETE_MARK}); "
            "run make build and serve what it publishes"
        )
    assert result.stdout == ""


def test_idle_connections_are_dropped(server: Server) -> None:
    started = time.monotonic()
    with socket.create_connection(("127.0.0.1", server.port), timeout=10) as sock:
        assert sock.recv(1) == b""  # the server closed it
    assert IDLE_TIMEOUT * 0.8 < time.monotonic() - started < IDLE_TIMEOUT + 5


def test_an_aborted_download_is_not_an_error(server: Server) -> None:
    for _ in range(3):
        with socket.create_connection(("127.0.0.1", server.port), timeout=5) as sock:
            sock.sendall(b"GET /assets/big.bin HTTP/1.1\r\n\r\n")
            assert sock.recv(100).startswith(b"HTTP/1.0 200")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
    assert status(exchange(server.port, b"GET / HTTP/1.1\r\n\r\n")) == 200  # still serving
    time.sleep(0.5)
    log = server.output()
    assert '"GET /assets/big.bin HTTP/1.1" 200' in log
    assert "Traceback" not in log and "BrokenPipe" not in log and "ConnectionReset" not in log


def _round(port: int) -> list[float]:
    """Open 200 connections at once, each sending one GET; the milliseconds each took, sorted.

    A single-threaded client on non-blocking sockets, so that as little as possible of
    what is measured is the client's own work.
    """
    request = b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept-Encoding: gzip\r\n\r\n"
    selector = selectors.DefaultSelector()
    started: dict[socket.socket, float] = {}
    received: dict[socket.socket, list[bytes]] = {}
    times: list[float] = []
    for _ in range(CONCURRENT):
        sock = socket.socket()
        sock.setblocking(False)
        started[sock] = time.perf_counter()
        sock.connect_ex(("127.0.0.1", port))
        received[sock] = []
        selector.register(sock, selectors.EVENT_WRITE)
    deadline = time.monotonic() + 60
    while started and time.monotonic() < deadline:
        for key, events in selector.select(timeout=1):
            sock = key.fileobj
            assert isinstance(sock, socket.socket)
            if events & selectors.EVENT_WRITE:
                sock.sendall(request)
                selector.modify(sock, selectors.EVENT_READ)
                continue
            chunk = sock.recv(65536)
            if chunk:
                received[sock].append(chunk)
                continue
            times.append((time.perf_counter() - started.pop(sock)) * 1000)
            selector.unregister(sock)
            sock.close()
            assert b"".join(received[sock]).startswith(b"HTTP/1.0 200"), b"".join(received[sock])[:80]
    selector.close()
    assert not started, f"{len(started)} requests had no answer within a minute"
    return sorted(times)


def test_200_concurrent_requests_are_all_answered(quiet_server: Server) -> None:
    """A fixed number of rounds of 200 requests sent at once, every one answered 200.

    A training room's laptops may all open the site at once. With the standard library's
    listen backlog of 5, connections the kernel drops are left waiting on retries: tried on
    this machine, a round did not even finish within the client's minute. How fast they are
    answered depends on the machine, so the figures are printed, not judged.
    """
    exchange(quiet_server.port, b"GET / HTTP/1.1\r\nAccept-Encoding: gzip\r\n\r\n")  # the gzip body is made once
    p99s = []
    for _ in range(ROUNDS):
        times = _round(quiet_server.port)
        assert len(times) == CONCURRENT
        p99s.append(times[int(CONCURRENT * 0.99) - 1])
    print(f"p99 of each round of {CONCURRENT} concurrent requests (ms): {', '.join(f'{p:.0f}' for p in p99s)}")
