"""Asking the origin being checked for one path: one socket per file, no redirect followed.

Only the scheme, host and port of the address given are ever asked anything; every answer
comes back as an :class:`Answer`, with one line for what went wrong, never a traceback.
"""

from __future__ import annotations

import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import quote, urljoin, urlsplit

from .host_wire import Body, Clock, Headers, Reader, Refused, has_control, read_body, read_head, shown


@dataclass(frozen=True)
class Answer:
    """What the server sent for one path (the body is kept only when asked for)."""

    path: str
    status: int
    headers: Headers | None
    error: str = ""
    no_answer: bool = False


@dataclass(frozen=True)
class Origin:
    """The address being checked: only its scheme, host and port are ever asked anything."""

    base: str
    scheme: str
    host: str
    port: int

    @property
    def key(self) -> tuple[str, str, int]:
        return (self.scheme, self.host, self.port)

    def owns(self, url: str) -> bool:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
        return (parts.scheme, (parts.hostname or "").lower(), port) == self.key


def parse_address(text: str) -> Origin | None:
    """The origin for a command-line address, or None when it is not a usable web address."""
    if not text or has_control(text) or any(char.isspace() for char in text):
        return None
    try:
        parts = urlsplit(text)
        port = parts.port
        host = parts.hostname or ""
        host.encode("idna")
    except (ValueError, UnicodeError):
        return None
    if parts.scheme not in ("http", "https") or not host or parts.username is not None:
        return None
    path = parts.path if parts.path.endswith("/") else parts.path + "/"
    port = port or (443 if parts.scheme == "https" else 80)
    return Origin(f"{parts.scheme}://{parts.netloc}{path}", parts.scheme, host.lower(), port)


def _connection_error(exc: OSError, origin: Origin) -> str:
    if isinstance(exc, socket.gaierror):
        return f"the host name {shown(origin.host)} was not found"
    if isinstance(exc, ConnectionRefusedError):
        return "the connection was refused"
    if isinstance(exc, ConnectionResetError):
        return "the server reset the connection"
    if isinstance(exc, ssl.SSLCertVerificationError):
        return f"its certificate is not valid: {exc.verify_message}"
    if isinstance(exc, ssl.SSLError):
        return f"the secure connection failed: {exc.reason or exc}"
    return f"the connection failed: {exc.strerror or exc.__class__.__name__}"


def request_target(origin: Origin, path: str) -> str:
    parts = urlsplit(urljoin(origin.base, path))
    target = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    return target + ("?" + quote(parts.query, safe="=&%+") if parts.query else "")


def fetch(origin: Origin, path: str, clock: Clock, *, keep_body: bool = False) -> tuple[Answer, bytes]:
    """GET one path of the origin (never another host), within the deadline and the limits."""
    limits = clock.limits
    body = Body(limits.text_bytes if keep_body else limits.body_bytes, keep_body)
    netloc = origin.host.encode("idna").decode("ascii")
    if ":" in netloc:
        netloc = f"[{netloc}]"
    if origin.port != (443 if origin.scheme == "https" else 80):
        netloc += f":{origin.port}"
    request = (
        f"GET {request_target(origin, path)} HTTP/1.1\r\nHost: {netloc}\r\nUser-Agent: cse-site check_host\r\n"
        "Accept: */*\r\nAccept-Encoding: identity\r\nConnection: close\r\n\r\n"
    ).encode("ascii")
    sock: socket.socket | None = None
    try:
        sock = socket.create_connection((origin.host, origin.port), timeout=clock.wait())
        if origin.scheme == "https":
            sock = ssl.create_default_context().wrap_socket(sock, server_hostname=origin.host)
        sock.settimeout(clock.wait())
        sock.sendall(request)
        reader = Reader(sock, clock)
        status, headers = read_head(reader, limits)
        if not 300 <= status < 400:
            read_body(reader, status, headers, body)
        return Answer(path, status, headers), body.bytes()
    except Refused as exc:
        return Answer(path, 0, None, exc.reason, exc.no_answer), b""
    except TimeoutError:
        reason = clock.ran_out().reason if time.monotonic() >= clock.end else "the server did not answer in time"
        return Answer(path, 0, None, reason, True), b""
    except OSError as exc:
        return Answer(path, 0, None, _connection_error(exc, origin), True), b""
    finally:
        if sock is not None:
            sock.close()
