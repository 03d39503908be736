"""Reading one HTTP/1.x answer off a socket, within a deadline and within limits.

The host checker speaks HTTP itself so that a broken or hostile server cannot make it hang
or read without end: every step waits at most until the overall deadline, and the status
line, the headers and the body each have a size limit. Whatever comes back that cannot be
used is a :class:`Refused` with one printable line saying why.
"""

from __future__ import annotations

import re
import socket
import time
import unicodedata
from collections import defaultdict
from dataclasses import dataclass


@dataclass(frozen=True)
class Limits:
    """How long the whole check may take, and how much any one answer may send."""

    time_s: float = 300.0
    silence_s: float = 30.0  # no byte for this long: the server has stopped answering
    header_lines: int = 100
    header_line_bytes: int = 8192
    header_bytes: int = 64 * 1024
    body_bytes: int = 64 * 1024 * 1024  # any file (the largest, the engine snapshot, is about 15 MB)
    text_bytes: int = 4 * 1024 * 1024  # the home page, sw.js and the manifest, which are read


class Refused(Exception):
    """An answer that cannot be used, with one line saying why."""

    def __init__(self, reason: str, *, no_answer: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.no_answer = no_answer


def shown(text: str, limit: int = 80) -> str:
    """Text from the server or an argument, safe to print on one line: quoted, escaped, cut."""
    cut = text if len(text) <= limit else text[:limit] + "…"
    return repr(cut)


def shown_type(media_type: str) -> str:
    """A media type as sent: as it is when it looks like one, quoted and escaped otherwise."""
    if not media_type:
        return "no Content-Type"
    return media_type if re.fullmatch(r"[\w.+-]{1,60}/[\w.+-]{1,60}", media_type, re.ASCII) else shown(media_type, 40)


def has_control(text: str) -> bool:
    return any(unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") for char in text)


class Headers:
    """Response headers by lower-case name; repeated headers are joined with ", "."""

    def __init__(self) -> None:
        self._values: dict[str, list[str]] = defaultdict(list)

    def add(self, name: str, value: str) -> None:
        self._values[name.lower()].append(value)

    def get(self, name: str) -> str | None:
        values = self._values.get(name.lower())
        return ", ".join(values) if values else None

    def all(self, name: str) -> list[str]:
        return list(self._values.get(name.lower(), []))


@dataclass
class Clock:
    """The check's overall deadline."""

    limits: Limits
    end: float = 0.0

    def __post_init__(self) -> None:
        self.end = time.monotonic() + self.limits.time_s

    def wait(self) -> float:
        """How long the next network step may take; refuses once the time is up."""
        left = self.end - time.monotonic()
        if left <= 0:
            raise self.ran_out()
        return min(left, self.limits.silence_s)

    def ran_out(self) -> Refused:
        return Refused(f"the check's time limit of {self.limits.time_s:g} s ran out", no_answer=True)


class Reader:
    """Reads an answer from a socket, within the deadline and never more than asked for."""

    def __init__(self, sock: socket.socket, clock: Clock) -> None:
        self.sock = sock
        self.clock = clock
        self.buffer = bytearray()
        self.ended = False

    def _fill(self) -> None:
        wait = self.clock.wait()
        self.sock.settimeout(wait)
        try:
            data = self.sock.recv(65536)
        except TimeoutError:
            if time.monotonic() >= self.clock.end:
                raise self.clock.ran_out() from None
            raise Refused(f"the server sent nothing for {wait:g} s", no_answer=True) from None
        if data:
            self.buffer += data
        else:
            self.ended = True

    def line(self, limit: int, what: str) -> bytes:
        """One line (with its end), at most ``limit`` bytes; b"" at the end of the answer."""
        while True:
            end = self.buffer.find(b"\n", 0, limit + 1)
            if end >= 0:
                found = bytes(self.buffer[: end + 1])
                del self.buffer[: end + 1]
                return found
            if len(self.buffer) > limit:
                raise Refused(f"{what} longer than {limit} bytes")
            if self.ended:
                found = bytes(self.buffer)
                self.buffer.clear()
                return found
            self._fill()

    def take(self, count: int) -> bytes:
        """Up to ``count`` bytes, fewer only at the end of the answer."""
        while len(self.buffer) < count and not self.ended:
            self._fill()
        found = bytes(self.buffer[:count])
        del self.buffer[:count]
        return found

    def some(self) -> bytes:
        """Whatever has come, b"" at the end of the answer."""
        if not self.buffer and not self.ended:
            self._fill()
        found = bytes(self.buffer)
        self.buffer.clear()
        return found


class Body:
    """Collects a body up to a limit, keeping the bytes only when asked to."""

    def __init__(self, limit: int, keep: bool) -> None:
        self.limit = limit
        self.keep = keep
        self.size = 0
        self.parts: list[bytes] = []

    def add(self, data: bytes) -> None:
        self.size += len(data)
        if self.size > self.limit:
            raise Refused(f"the body is larger than {self.limit} bytes")
        if self.keep:
            self.parts.append(data)

    def bytes(self) -> bytes:
        return b"".join(self.parts)


STATUS_LINE = re.compile(rb"HTTP/1\.[01] ([1-5][0-9][0-9])(?: [^\r\n]*)?\r?\n")
HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")


def read_head(reader: Reader, limits: Limits) -> tuple[int, Headers]:
    first = reader.line(limits.header_line_bytes, "the status line is")
    if not first:
        raise Refused("the connection closed without an answer", no_answer=True)
    match = STATUS_LINE.fullmatch(first)
    if match is None:
        raise Refused(f"not an HTTP answer: it begins {shown(first.decode('latin-1'), 40)}")
    headers = Headers()
    count = total = 0
    while True:
        line = reader.line(limits.header_line_bytes, "a header line is")
        total += len(line)
        if total > limits.header_bytes:
            raise Refused(f"the headers are longer than {limits.header_bytes} bytes in all")
        if line in (b"\r\n", b"\n"):
            return int(match.group(1)), headers
        if not line.endswith(b"\n"):
            raise Refused("the connection closed in the middle of the headers")
        count += 1
        if count > limits.header_lines:
            raise Refused(f"more than {limits.header_lines} header lines")
        text = line.decode("latin-1").rstrip("\r\n")
        name, colon, value = text.partition(":")
        if not colon or not HEADER_NAME.fullmatch(name):
            raise Refused(f"a header line that is not 'Name: value': {shown(text, 40)}")
        headers.add(name, value.strip(" \t"))


def read_body(reader: Reader, status: int, headers: Headers, body: Body) -> None:
    if status in (204, 304) or 100 <= status < 200:
        return
    if "chunked" in (headers.get("Transfer-Encoding") or "").lower():
        while True:
            size_line = reader.line(64, "a chunk size line is").split(b";")[0].strip()
            try:
                size = int(size_line, 16)
            except ValueError:
                raise Refused(f"a broken chunk size: {shown(size_line.decode('latin-1'), 20)}") from None
            if size < 0:
                raise Refused("a broken chunk size")
            if size == 0:
                while reader.line(8192, "a trailer line is") not in (b"\r\n", b"\n", b""):
                    pass
                return
            if body.size + size > body.limit:
                raise Refused(f"the body is larger than {body.limit} bytes")
            data = reader.take(size)
            if len(data) < size:
                raise Refused("the body ended in the middle of a chunk")
            body.add(data)
            if reader.line(2, "a chunk's end is") not in (b"\r\n", b"\n"):
                raise Refused("a chunk that does not end where its size says")
    lengths = {value.strip() for value in headers.all("Content-Length")}
    if lengths:
        if len(lengths) > 1 or not next(iter(lengths)).isdigit():
            raise Refused(f"a broken Content-Length: {shown(', '.join(sorted(lengths)), 40)}")
        length = int(next(iter(lengths)))
        if length > body.limit:
            raise Refused(f"the body is larger than {body.limit} bytes (Content-Length {length})")
        while body.size < length:
            data = reader.take(min(65536, length - body.size))
            if not data:
                raise Refused(f"the body ended after {body.size} of the {length} bytes its Content-Length says")
            body.add(data)
        return
    while data := reader.some():
        body.add(data)
