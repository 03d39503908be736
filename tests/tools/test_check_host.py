"""check_host against a hostile local server: whatever a host sends, one line per problem and
an exit status, never a traceback, a hang or a request to another origin.

The server is a small threaded socket server on 127.0.0.1 (a free port). By default it
serves a tiny copy of a good deploy (home page, sw.js, one script, one page) that passes;
each case replaces one answer with something a broken or hostile host might send."""

from __future__ import annotations

import json
import random
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

from build_scripts.host_files import SECURITY_HEADERS
from tools import check_host as ch

Behaviour = Callable[[socket.socket, threading.Event], None]
PAGE_POLICY = SECURITY_HEADERS["Content-Security-Policy"].rsplit(";", 1)[0]
HOME = (
    f'<!doctype html><html><head><meta http-equiv="Content-Security-Policy" content="{PAGE_POLICY}">'
    "<title>Home</title></head><body><p>Home</p></body></html>"
).encode()
GOOD_LISTS = {"SITE_FILES": '["./", "app.js"]', "RUNTIME_FILES": '["page/"]'}


def head(status: str, headers: dict[str, str]) -> bytes:
    return (f"HTTP/1.1 {status}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items()) + "\r\n").encode()


def good_headers(content_type: str, length: int | None) -> dict[str, str]:
    headers = {**SECURITY_HEADERS, "Cache-Control": "no-cache", "Content-Type": content_type, "Connection": "close"}
    if length is not None:
        headers["Content-Length"] = str(length)
    return headers


def send(body: bytes, content_type: str, status: str = "200 OK", **extra: str) -> Behaviour:
    def behave(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(head(status, {**good_headers(content_type, len(body)), **extra}) + body)

    return behave


def raw(data: bytes) -> Behaviour:
    def behave(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(data)

    return behave


def worker(lists: dict[str, str]) -> Behaviour:
    text = 'const VERSION = "0123456789abcdef";\n' + "".join(f"const {k} = {v};\n" for k, v in lists.items())
    return send(text.encode(), "text/javascript; charset=utf-8")


def short_body(declared: int, sent: int) -> Behaviour:
    def behave(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(head("200 OK", good_headers("text/javascript", declared)) + b"x" * sent)

    return behave


def endless(conn: socket.socket, stop: threading.Event) -> None:
    conn.sendall(head("200 OK", good_headers("text/html", None)))
    chunk = b"<p>more</p>" * 6000
    while not stop.is_set():
        conn.sendall(chunk)  # ends with an OSError once the client hangs up


def trickle(every_s: float) -> Behaviour:
    def behave(conn: socket.socket, stop: threading.Event) -> None:
        for byte in head("200 OK", good_headers("text/html", len(HOME))) + HOME:
            if stop.wait(every_s):
                return
            conn.sendall(bytes([byte]))

    return behave


def redirect(status: str, location: str) -> Behaviour:
    def behave(conn: socket.socket, stop: threading.Event) -> None:
        conn.sendall(head(status, {**good_headers("text/html", 0), "Location": location}))

    return behave


@dataclass
class Hostile:
    """A server on 127.0.0.1 answering each path as ``routes`` says (404 for the rest)."""

    routes: dict[str, Behaviour]
    requests: list[str] = field(default_factory=list)
    stop: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(32)
        self.sock.settimeout(0.1)
        self.port = int(self.sock.getsockname()[1])
        self.threads: list[threading.Thread] = []
        self.accepting = threading.Thread(target=self._accept, daemon=True)
        self.accepting.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def _accept(self) -> None:
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            thread = threading.Thread(target=self._answer, args=(conn,), daemon=True)
            thread.start()
            self.threads.append(thread)

    def _answer(self, conn: socket.socket) -> None:
        with conn:
            conn.settimeout(10)
            request = b""
            try:
                while b"\r\n\r\n" not in request and len(request) < 65536:
                    data = conn.recv(4096)
                    if not data:
                        return
                    request += data
                path = request.split(b" ", 2)[1].decode("ascii")
                self.requests.append(path)
                self.routes.get(path, send(b"not found", "text/plain", "404 Not Found"))(conn, self.stop)
            except OSError:
                return

    def close(self) -> None:
        self.stop.set()
        self.sock.close()
        self.accepting.join(5)
        for thread in self.threads:
            thread.join(5)


def good_site(**changes: Behaviour) -> dict[str, Behaviour]:
    routes = {
        "/": send(HOME, "text/html; charset=utf-8"),
        "/sw.js": worker(GOOD_LISTS),
        "/app.js": send(b"console.log(1);\n", "text/javascript; charset=utf-8"),
        "/page/": send(HOME.replace(b"Home", b"Page"), "text/html; charset=utf-8"),
    }
    return {**routes, **changes}


@pytest.fixture()
def other() -> Iterator[Hostile]:
    """Another origin: check_host must never ask it anything."""
    server = Hostile({"/": send(HOME, "text/html"), "/x.js": send(b"1", "text/javascript")})
    yield server
    server.close()


def run(url: str, capsys: pytest.CaptureFixture[str], *extra: str) -> tuple[int, list[str], str]:
    status = ch.main([*extra, url])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    assert all(line.isprintable() for line in captured.out.splitlines()), captured.out
    return status, captured.out.splitlines(), captured.err


def problems(lines: list[str]) -> list[str]:
    return [line for line in lines if not line.startswith(" ")][:-1]


def test_the_good_site_passes(capsys: pytest.CaptureFixture[str]) -> None:
    server = Hostile(good_site())
    try:
        status, lines, _ = run(server.url, capsys)
    finally:
        server.close()
    assert (status, lines) == (0, [f"all good: 4 file(s) checked at {server.url}"])
    assert sorted(server.requests) == ["/", "/app.js", "/page/", "/sw.js"]


BAD = ch.SERVER_FIX
NONE = ch.NO_ANSWER_FIX
LIST = ch.LIST_FIX
MANY_HEADERS = "".join(f"X-Header-{n}: {n}\r\n" for n in range(101))
HUGE_HEADERS = "".join(f"X-Header-{n}: {'a' * 1000}\r\n" for n in range(70))

# (case, what the server does differently, the problem lines check_host must print, and
# the file line under the first of them)
CASES: list[tuple[str, Callable[[dict[str, str]], dict[str, Behaviour]], list[str], str]] = [
    (
        "a garbage status line",
        lambda n: {"/": raw(b"SPAM SPAM SPAM\r\n\r\n")},
        [f"BAD ANSWER (not an HTTP answer: it begins 'SPAM SPAM SPAM\\r\\n') - fix: {BAD}"],
        "./",
    ),
    (
        "binary garbage",
        lambda n: {"/app.js": raw(bytes(range(256)) * 4)},
        [
            "BAD ANSWER (not an HTTP answer: it begins '\\x00\\x01\\x02\\x03\\x04\\x05\\x06\\x07\\x08\\t\\n') "
            f"- fix: {BAD}"
        ],
        "app.js",
    ),
    (
        "an empty answer",
        lambda n: {"/app.js": raw(b"")},
        [f"NO ANSWER (the connection closed without an answer) - fix: {NONE}"],
        "app.js",
    ),
    (
        "over 100 headers",
        lambda n: {"/app.js": raw(b"HTTP/1.1 200 OK\r\n" + MANY_HEADERS.encode() + b"\r\n")},
        [f"BAD ANSWER (more than 100 header lines) - fix: {BAD}"],
        "app.js",
    ),
    (
        "one huge header line",
        lambda n: {"/app.js": raw(b"HTTP/1.1 200 OK\r\nX-Big: " + b"a" * 200_000 + b"\r\n\r\n")},
        [f"BAD ANSWER (a header line is longer than 8192 bytes) - fix: {BAD}"],
        "app.js",
    ),
    (
        "huge headers in all",
        lambda n: {"/app.js": raw(b"HTTP/1.1 200 OK\r\n" + HUGE_HEADERS.encode() + b"\r\n")},
        [f"BAD ANSWER (the headers are longer than 65536 bytes in all) - fix: {BAD}"],
        "app.js",
    ),
    (
        "a header line with no name",
        lambda n: {"/app.js": raw(b"HTTP/1.1 200 OK\r\n\x1b[31mred\r\n\r\n")},
        [f"BAD ANSWER (a header line that is not 'Name: value': '\\x1b[31mred') - fix: {BAD}"],
        "app.js",
    ),
    (
        "a short body",
        lambda n: {"/app.js": short_body(5000, 100)},
        [f"BAD ANSWER (the body ended after 100 of the 5000 bytes its Content-Length says) - fix: {BAD}"],
        "app.js",
    ),
    (
        "a broken Content-Length",
        lambda n: {"/app.js": raw(b"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")},
        [f"BAD ANSWER (a broken Content-Length: '-1') - fix: {BAD}"],
        "app.js",
    ),
    (
        "an endless body",
        lambda n: {"/": endless},
        [f"BAD ANSWER (the body is larger than {4 * 1024 * 1024} bytes) - fix: {BAD}"],
        "./",
    ),
    (
        "a body said to be larger than any file",
        lambda n: {"/app.js": raw(b"HTTP/1.1 200 OK\r\nContent-Length: 99999999999999\r\n\r\nx")},
        [f"BAD ANSWER (the body is larger than {64 * 1024 * 1024} bytes (Content-Length 99999999999999)) - fix: {BAD}"],
        "app.js",
    ),
    (
        "a broken chunk",
        lambda n: {"/app.js": raw(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n")},
        [f"BAD ANSWER (a broken chunk size: 'zz') - fix: {BAD}"],
        "app.js",
    ),
    (
        "a slow trickle",
        lambda n: {"/": trickle(1.0)},
        [f"NO ANSWER (the check's time limit of 2.5 s ran out) - fix: {NONE}"],
        "./",
    ),
    (
        "a redirect loop",
        lambda n: {"/": redirect("302 Found", "/")},
        ["REDIRECT (HTTP 302 to '{url}') - fix: " + ch.REDIRECT_FIX],
        "./",
    ),
    (
        "a redirect loop between two files",
        lambda n: {"/app.js": redirect("301 Moved", "/b.js"), "/b.js": redirect("301 Moved", "/app.js")},
        ["REDIRECT (HTTP 301 to '{url}b.js') - fix: " + ch.REDIRECT_FIX],
        "app.js",
    ),
    (
        "a redirect to another origin",
        lambda n: {"/app.js": redirect("301 Moved", f"{n['other']}x.js")},
        ["REDIRECT TO ANOTHER SITE (HTTP 301 to '{other}x.js'; not followed) - fix: " + ch.OFFSITE_FIX],
        "app.js",
    ),
    (
        "the home page redirected to https",
        lambda n: {"/": redirect("301 Moved", f"https://127.0.0.1:{n['port']}/")},
        ["REDIRECT TO ANOTHER SITE (HTTP 301 to 'https://127.0.0.1:{port}/'; not followed) - fix: " + ch.OFFSITE_FIX],
        "./",
    ),
    (
        "sw.js lists that are not JSON",
        lambda n: {"/sw.js": worker({"SITE_FILES": "[./, app.js]", "RUNTIME_FILES": '["page/"]'})},
        [f"SERVICE WORKER: its SITE_FILES list is not JSON (Expecting value) - fix: {LIST}"],
        "sw.js",
    ),
    (
        "sw.js lists of the wrong shape",
        lambda n: {"/sw.js": worker({"SITE_FILES": '[{"a": 1}]', "RUNTIME_FILES": "[1, 2]"})},
        [
            f"SERVICE WORKER: its SITE_FILES list is not a list of paths - fix: {LIST}",
            f"SERVICE WORKER: its RUNTIME_FILES list is not a list of paths - fix: {LIST}",
        ],
        "sw.js",
    ),
    (
        "sw.js lists nested too deeply",
        lambda n: {"/sw.js": worker({"SITE_FILES": "[" * 100_000 + "]" * 100_000, "RUNTIME_FILES": "[]"})},
        [f"SERVICE WORKER: its SITE_FILES list is nested too deeply - fix: {LIST}"],
        "sw.js",
    ),
    (
        "a listed path with a control character",
        lambda n: {"/sw.js": worker({"SITE_FILES": '["./", "app.js", "app\\u0007.js"]', "RUNTIME_FILES": "[]"})},
        [f"BAD ENTRY in sw.js: a control character in the path; not asked for - fix: {LIST}"],
        "'app\\x07.js'",
    ),
    (
        "listed paths on another origin",
        lambda n: {
            "/sw.js": worker(
                {
                    "SITE_FILES": json.dumps(["./", "app.js", f"{n['other']}x.js", f"//{n['other_host']}/x.js"]),
                    "RUNTIME_FILES": "[]",
                }
            )
        },
        [f"OFF-SITE ENTRY in sw.js: another site's address; not asked for - fix: {LIST}"],
        "{other}x.js, //{other_host}/x.js",
    ),
    (
        "a script answered with the host's home page",
        lambda n: {"/app.js": send(HOME, "text/html; charset=utf-8")},
        [
            "WRONG TYPE: sent as text/html, must be text/javascript (a page in place of the file: "
            f"the host's answer for a missing file?) - fix: {ch.MISSING_FIX}"
        ],
        "app.js",
    ),
    (
        "a type that is not one",
        lambda n: {"/app.js": send(b"1", "text/javascript\x1b[2J")},
        [f"WRONG TYPE: sent as 'text/javascript\\x1b[2j', must be text/javascript - fix: {ch.TYPE_FIX}"],
        "app.js",
    ),
    (
        "a control character in a header value",
        lambda n: {"/app.js": send(b"1", "text/javascript", **{"Referrer-Policy": "no-referrer\x1b[2J"})},
        ["HEADER DIFFERS: Referrer-Policy is 'no-referrer\\x1b[2J', should be 'no-referrer' - fix: " + ch.HEADER_FIX],
        "app.js",
    ),
]


@pytest.mark.parametrize(("case", "changes", "expected", "on"), CASES, ids=[case[0] for case in CASES])
def test_a_hostile_answer_gives_one_line_per_problem(
    case: str,
    changes: Callable[[dict[str, str]], dict[str, Behaviour]],
    expected: list[str],
    on: str,
    other: Hostile,
    capsys: pytest.CaptureFixture[str],
) -> None:
    server = Hostile({})
    # The cases name the servers' addresses as {url}, {port}, {other} and {other_host}.
    names = {"url": server.url, "port": str(server.port), "other": other.url, "other_host": f"127.0.0.1:{other.port}"}
    server.routes = good_site(**changes(names))
    started = time.monotonic()
    try:
        status, lines, err = run(server.url, capsys, "--time-limit", "2.5")
    finally:
        server.close()
    assert time.monotonic() - started < 10
    assert status == 1, lines
    assert err == ""
    assert problems(lines) == [line.format(**names) for line in expected], "\n".join(lines)
    first = lines.index(expected[0].format(**names))
    assert lines[first + 1].split(": ", 1)[1] == on.format(**names)
    assert lines[-1].startswith(f"{len(expected)} problem(s) found in ")
    assert other.requests == [], "check_host asked another origin"


@pytest.mark.parametrize(
    "argument",
    ["not a url", "ftp://example.org/", "http://", "http://127.0.0.1:99999/", "http://user:pw@example.org/", "\x1b[2J"],
)
def test_a_bad_address_gets_one_usage_line(argument: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        ch.main([argument])
    assert stopped.value.code == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err == (
        f"check_host: {argument!r} is not a web address (http:// or https:// and a host name); {ch.USAGE}\n"
    )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ([], "the following arguments are required: url"),
        (["--time-limit", "soon", "http://127.0.0.1/"], "argument --time-limit: invalid float value: 'soon'"),
        (["--time-limit", "0", "http://127.0.0.1/"], "--time-limit must be more than 0 and less than a day, not 0"),
    ],
)
def test_bad_options_get_one_usage_line(arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        ch.main(arguments)
    assert stopped.value.code == 2
    assert capsys.readouterr().err == f"check_host: {message}; {ch.USAGE}\n"


def test_a_closed_port_is_no_answer(capsys: pytest.CaptureFixture[str]) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # nothing listens once this is closed
    status, lines, _ = run(f"http://127.0.0.1:{port}/", capsys)
    assert status == 1
    assert problems(lines) == [f"NO ANSWER (the connection was refused) - fix: {NONE}"]


def test_a_host_without_sw_js_answering_with_its_home_page(other: Hostile, capsys: pytest.CaptureFixture[str]) -> None:
    """A rewrite-to-home-page host after the kill switch: sw.js comes back as HTML. The
    files the home page links to are checked instead; its links to other sites are not."""
    links = f'<script src="app.js"></script><a href="{other.url}x.js">x</a><a href="tel:0">t</a><a href="//a.b/">'
    home = HOME.replace(b"<p>Home</p>", links.encode())
    server = Hostile(good_site(**{"/": send(home, "text/html"), "/sw.js": send(HOME, "text/html; charset=utf-8")}))
    try:
        status, lines, _ = run(server.url, capsys)
    finally:
        server.close()
    assert status == 1
    assert problems(lines)[0] == (
        "NO SERVICE WORKER (sent as text/html, not JavaScript: the host's answer for a missing file?): offline use "
        "is off, and readers who had it lose it (right only if sw.js was removed on purpose, the kill switch) - fix: "
        "upload site/sw.js"
    )
    # Without the lists, what the home page links to and the engine's files are asked for.
    assert problems(lines)[1] == f"MISSING (HTTP 404) - fix: {ch.MISSING_FIX}"
    assert "/assets/engine/manifest.json" in server.requests
    assert "/app.js" in server.requests
    assert not any("OFF-SITE" in line for line in lines)
    assert other.requests == []


def _random_answer(rng: random.Random) -> bytes:
    """Something between a real answer and noise."""
    parts = [
        rng.choice([b"HTTP/1.1 200 OK", b"HTTP/1.0 301 X", b"HTTP/1.1 999 ?", b"HTTP/1.1 200", b"", b"\xff\xfe"]),
        *(
            rng.choice(
                [
                    b"Content-Type: text/html",
                    b"Content-Type: \x00\x1b",
                    b"Content-Length: " + str(rng.randrange(-5, 500)).encode(),
                    b"Transfer-Encoding: chunked",
                    b"Location: " + bytes(rng.randrange(256) for _ in range(12)),
                    b": no name",
                    b"X: " + b"y" * rng.randrange(10_000),
                    bytes(rng.randrange(256) for _ in range(rng.randrange(40))),
                ]
            )
            for _ in range(rng.randrange(6))
        ),
        b"",
        rng.choice([b"", b"0\r\n\r\n", b"5\r\nabc", b"fffffffffff\r\n", bytes(rng.randrange(256) for _ in range(300))]),
    ]
    return rng.choice([b"\r\n", b"\n"]).join(parts)


@pytest.mark.parametrize("seed", range(30))
def test_random_answers_never_give_a_traceback(seed: int, capsys: pytest.CaptureFixture[str]) -> None:
    rng = random.Random(seed)
    path = rng.choice(["/", "/sw.js", "/app.js", "/page/"])
    server = Hostile(good_site(**{path: raw(_random_answer(rng))}))
    try:
        status, lines, err = run(server.url, capsys, "--time-limit", "5")
    finally:
        server.close()
    assert status in (0, 1), lines
    assert err == ""
    assert lines[-1].startswith(("all good: ", f"{len(problems(lines))} problem(s) found in ")), lines
