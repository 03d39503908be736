"""Serve the built site on 127.0.0.1: ``python -m tools.serve [--port N]``.

A plain static server with the types Pyodide needs (``.mjs`` as JavaScript, ``.wasm`` as
application/wasm, which WebAssembly streaming compilation requires), gzip for text and
WebAssembly as any production web server would send them, and cache headers: files whose
names carry a content hash are kept for a year, everything else is revalidated. It only
answers GET and HEAD. Every request gets a status, malformed ones included (400 for a
path no file can have, such as one with a NUL byte); folders are never listed (404);
a connection idle for ``IDLE_TIMEOUT`` seconds is dropped; a client that goes away
mid-download is not an error. One thread per connection and a long listen queue keep
many concurrent requests fast. Its log shows only the paths asked for, which never
carry answers (``--quiet`` turns it off).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.client
import http.server
import io
import os
import queue
import stat
import sys
import threading
from http import HTTPStatus
from pathlib import Path
from typing import Any, BinaryIO

from build_scripts.host_files import cache_control_for
from build_scripts.paths import SITE
from build_scripts.publish import unfinished

TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".wasm": "application/wasm",
    ".zip": "application/zip",
    ".whl": "application/zip",
    ".bin": "application/octet-stream",
    ".svg": "image/svg+xml",
    ".xml": "application/xml",
    ".txt": "text/plain; charset=utf-8",
}


COMPRESSIBLE = {".html", ".js", ".mjs", ".css", ".json", ".svg", ".xml", ".txt", ".wasm", ".bin"}

IDLE_TIMEOUT = 10.0  # seconds a connection may wait without sending or taking data
LISTEN_BACKLOG = 1024  # connections the kernel may queue while threads start
MAX_LINE = 65536  # bytes of one header line
MAX_HEADERS = 100  # header lines in one request

_compressed: dict[tuple[str, float], bytes] = {}
_compressing: dict[str, threading.Lock] = {}
_compressed_lock = threading.Lock()


def compressed(path: str, mtime: float | None = None) -> bytes:
    """The gzip body of a file, made once per version of the file (once, however many ask at once)."""
    key = (path, os.stat(path).st_mtime if mtime is None else mtime)
    with _compressed_lock:
        body = _compressed.get(key)
        file_lock = _compressing.setdefault(path, threading.Lock())
    if body is not None:
        return body
    with file_lock:
        with _compressed_lock:
            body = _compressed.get(key)
        if body is None:
            with open(path, "rb") as source:
                body = gzip.compress(source.read(), compresslevel=6, mtime=0)
            with _compressed_lock:
                _compressed[key] = body
    return body


class _OutsideSite(Exception):
    """A path whose file is outside the site once symbolic links are followed, or is not a plain file."""


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}  # noqa: RUF012 - as the base class declares it
    timeout = IDLE_TIMEOUT
    raw_requestline: bytes  # set by the base class before parse_request
    disable_nagle_algorithm = True  # what is written goes out at once, not held for an ACK
    wbufsize = 1 << 16  # headers and a small body leave in one send
    # A request line the server cannot parse is answered as HTTP/1.0, so the answer has a status line.
    default_request_version = "HTTP/1.0"

    def parse_request(self) -> bool:
        """The request line and headers, read without the email parser the base class uses.

        That parser was a third of the time of a request; this does what a static server
        needs: the method, the path, the version (HTTP/1.x only), and headers within limits.
        Every connection closes after its answer.
        """
        self.command = None  # type: ignore[assignment]  # as the base class does until the line is read
        self.request_version = self.default_request_version
        self.close_connection = True
        self.requestline = str(self.raw_requestline, "iso-8859-1").rstrip("\r\n")
        words = self.requestline.split()
        if len(words) == 3:
            version = words[2]
            major, dot, minor = version.removeprefix("HTTP/").partition(".")
            if not (version.startswith("HTTP/") and dot and major.isdigit() and minor.isdigit()):
                self.send_error(HTTPStatus.BAD_REQUEST, f"Bad request version ({version!r})")
                return False
            if len(major) > 3 or len(minor) > 3 or int(major) != 1:
                self.send_error(HTTPStatus.HTTP_VERSION_NOT_SUPPORTED, f"Invalid HTTP version ({version})")
                return False
            self.request_version = version
        elif len(words) != 2 or words[0] != "GET":
            self.send_error(HTTPStatus.BAD_REQUEST, f"Bad request syntax ({self.requestline!r})")
            return False
        self.command, self.path = words[0], words[1]
        if self.path.startswith("//"):
            self.path = "/" + self.path.lstrip("/")  # never read as a host name
        headers = http.client.HTTPMessage()
        for _ in range(MAX_HEADERS + 1):
            line = self.rfile.readline(MAX_LINE + 1)
            if len(line) > MAX_LINE:
                self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Line too long")
                return False
            if line in (b"\r\n", b"\n", b""):
                self.headers = headers
                return True
            name, colon, value = str(line, "iso-8859-1").partition(":")
            if not colon or not name.strip():
                self.send_error(HTTPStatus.BAD_REQUEST, "Bad header line")
                return False
            headers[name.strip()] = value.strip()
        self.send_error(HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE, "Too many headers")
        return False

    def list_directory(self, path: str | os.PathLike[str]) -> io.BytesIO | None:
        self.send_error(HTTPStatus.NOT_FOUND, "Not found")
        return None

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if self.command in ("GET", "HEAD"):
            # The same rule the deployed site's host files set.
            self.send_header("Cache-Control", cache_control_for(self.path.split("?")[0]))
        super().end_headers()

    def translate_path(self, path: str) -> str:
        """The file for a URL path; never one outside the site, whatever symbolic link leads there."""
        local = super().translate_path(path)
        root = os.path.realpath(self.directory)
        candidates = [local]
        if os.path.isdir(local):
            candidates += [os.path.join(local, "index.html"), os.path.join(local, "index.htm")]
        for candidate in candidates:
            real = os.path.realpath(candidate)
            if real != root and not real.startswith(root + os.sep):
                raise _OutsideSite(path)
            try:
                mode = os.stat(real).st_mode
            except OSError:
                continue  # no such file: the base class answers 404
            if not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
                raise _OutsideSite(path)  # a FIFO or a device is never read: it could hang the server
        return local

    def send_head(self) -> BinaryIO | None:
        try:
            return self._send_head()
        except _OutsideSite:  # a symbolic link out of the site: as if there were no such file
            self.send_error(HTTPStatus.NOT_FOUND, "File not found")
            return None
        except ValueError:  # a NUL byte or an undecodable escape: no file has that name
            self.send_error(HTTPStatus.BAD_REQUEST, "Bad path")
            return None

    def _send_head(self) -> BinaryIO | None:
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            if not self.path.split("?", 1)[0].split("#", 1)[0].endswith("/"):
                return super().send_head()  # the redirect to the folder URL
            path = os.path.join(path, "index.html")
        if os.path.splitext(path)[1] not in COMPRESSIBLE or "gzip" not in self.headers.get("Accept-Encoding", ""):
            return super().send_head()
        try:
            stat = os.stat(path)
        except OSError:
            return super().send_head()  # the base class answers 404
        etag = f'"{int(stat.st_mtime)}-{stat.st_size}-gz"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        body = compressed(path, stat.st_mtime)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("ETag", etag)
        self.send_header("Vary", "Accept-Encoding")
        self.end_headers()
        return io.BytesIO(body)

    def log_message(self, format: str, *args: object) -> None:
        if self.server_quiet:  # type: ignore[attr-defined]
            return
        super().log_message(format, *args)


class SiteServer(http.server.ThreadingHTTPServer):
    """One thread per connection, as the standard library's, but threads are kept and reused.

    Starting a thread was a fifth of a short request's time. The pool grows to the most
    connections ever open at once; a connection never waits for another to finish.
    """

    request_queue_size = LISTEN_BACKLOG
    daemon_threads = True

    def server_activate(self) -> None:
        super().server_activate()
        self._jobs: queue.SimpleQueue[tuple[Any, Any]] = queue.SimpleQueue()
        self._idle = 0
        self._idle_lock = threading.Lock()

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._idle_lock:
            if self._idle:
                self._idle -= 1
                self._jobs.put((request, client_address))
                return
        threading.Thread(target=self._work, args=(request, client_address), daemon=True).start()

    def _work(self, request: Any, client_address: Any) -> None:
        while True:
            self.process_request_thread(request, client_address)  # handles errors, closes the socket
            with self._idle_lock:
                self._idle += 1
            request, client_address = self._jobs.get()

    def handle_error(self, request: object, client_address: tuple[str, int]) -> None:
        """A client that went away is routine; anything else is one line in the log, not a traceback."""
        error = sys.exc_info()[1]
        if isinstance(error, (ConnectionError, TimeoutError)):
            return
        print(f"error serving {client_address[0]}: {error!r}", file=sys.stderr, flush=True)


def make_server(directory: Path, port: int, quiet: bool = False, idle_timeout: float = IDLE_TIMEOUT) -> SiteServer:
    handler = functools.partial(SiteHandler, directory=str(directory))
    server = SiteServer(("127.0.0.1", port), handler)
    SiteHandler.server_quiet = quiet  # type: ignore[attr-defined]
    SiteHandler.timeout = idle_timeout
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000; 0 picks a free one)")
    parser.add_argument("--directory", type=Path, default=SITE, help="the built site (default site/)")
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    parser.add_argument(
        "--idle-timeout",
        type=float,
        default=IDLE_TIMEOUT,
        help=f"seconds before an idle connection is dropped (default {IDLE_TIMEOUT:g})",
    )
    args = parser.parse_args(argv)
    refused = unfinished(args.directory)
    if refused is not None:
        print(refused, file=sys.stderr)
        return 1
    server = make_server(args.directory, args.port, args.quiet, args.idle_timeout)
    port = server.server_address[1]
    print(f"Serving {args.directory} at http://127.0.0.1:{port}/ (Ctrl+C to stop)", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
