"""Serve the built site on 127.0.0.1: ``python -m build_scripts.serve [--port N]``.

A plain static server with the types Pyodide needs (``.mjs`` as JavaScript, ``.wasm`` as
application/wasm, which WebAssembly streaming compilation requires), gzip for text and
WebAssembly as any production web server would send them, and cache headers: files whose
names carry a content hash are kept for a year, everything else is revalidated. It only
answers GET and HEAD. Its log shows only the paths asked for, which never carry answers
(``--quiet`` turns it off).
"""

from __future__ import annotations

import argparse
import functools
import gzip
import http.server
import io
import os
import re
import sys
import threading
from pathlib import Path
from typing import BinaryIO

from .paths import SITE

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
# Names with a content hash in them never change: the theme's bundles, the engine's files.
HASHED = re.compile(r"(\.[0-9a-f]{8,}\.(min\.)?(js|css|json|bin)$)|(/wheels/[0-9a-f]{12}/)")

_compressed: dict[tuple[str, float], bytes] = {}
_compressed_lock = threading.Lock()


def compressed(path: str) -> bytes:
    """The gzip body of a file, made once per version of the file."""
    key = (path, os.stat(path).st_mtime)
    with _compressed_lock:
        body = _compressed.get(key)
    if body is None:
        with open(path, "rb") as source:
            body = gzip.compress(source.read(), compresslevel=6, mtime=0)
        with _compressed_lock:
            _compressed[key] = body
    return body


class SiteHandler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {**http.server.SimpleHTTPRequestHandler.extensions_map, **TYPES}  # noqa: RUF012 - as the base class declares it

    def end_headers(self) -> None:
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if self.command in ("GET", "HEAD"):
            immutable = HASHED.search(self.path.split("?")[0])
            self.send_header("Cache-Control", "public, max-age=31536000, immutable" if immutable else "no-cache")
        super().end_headers()

    def send_head(self) -> BinaryIO | None:
        path = self.translate_path(self.path)
        if os.path.isdir(path):
            path = os.path.join(path, "index.html")
        accepts_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not accepts_gzip or Path(path).suffix not in COMPRESSIBLE or not os.path.isfile(path):
            return super().send_head()
        if not self.path.split("?")[0].endswith("/") and os.path.isdir(self.translate_path(self.path)):
            return super().send_head()  # the redirect to the folder URL
        stat = os.stat(path)
        etag = f'"{int(stat.st_mtime)}-{stat.st_size}-gz"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        body = compressed(path)
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


def make_server(directory: Path, port: int, quiet: bool = False) -> http.server.ThreadingHTTPServer:
    handler = functools.partial(SiteHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    SiteHandler.server_quiet = quiet  # type: ignore[attr-defined]
    return server


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_scripts.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8000, help="port on 127.0.0.1 (default 8000; 0 picks a free one)")
    parser.add_argument("--directory", type=Path, default=SITE, help="the built site (default site/)")
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    args = parser.parse_args(argv)
    if not (args.directory / "index.html").exists():
        print(f"{args.directory} has no index.html: build the site first", file=sys.stderr)
        return 1
    server = make_server(args.directory, args.port, args.quiet)
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
