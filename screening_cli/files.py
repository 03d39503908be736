"""Reading one file safely, for the YAML reader and the build's own checks.

A file is read only if it is a plain file (a FIFO, a socket, a device or a folder is
refused before anything is read), within a size limit, as UTF-8; the one problem that stops
it being read comes back as ``path: message`` or ``path:line: message``.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path as FsPath

from screening.errors import Problem

# The limits, stated in the README ("Limits"). Each has its own message.
MAX_FILE_BYTES = 20_000_000  # a protocol or case-study file
# Control characters that text values may not carry (tab and line break are fine), and the
# invisible marks that change the direction text is shown in (overrides, embeddings,
# isolates, left-to-right and right-to-left marks): with them a label, a result or a
# downloaded summary can show something other than what the file holds.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def line_at(data: str | bytes, position: int) -> int:
    newline = "\n" if isinstance(data, str) else b"\n"
    return data.count(newline, 0, position) + 1  # type: ignore[arg-type]


def escape(text: str) -> str:
    """Control characters as escapes, so a message with text from a file stays one line."""
    return CONTROL.sub(lambda m: m.group(0).encode("unicode_escape").decode("ascii"), text.replace("\n", "\\n"))


def read_bytes(path: FsPath | str, limit: int) -> bytes:
    """At most ``limit`` + 1 bytes of a plain file; OSError with a plain reason otherwise.

    Opened without waiting (a FIFO would otherwise hang the reader until something wrote to
    it) and checked to be a plain file before anything is read: a FIFO, a socket, a device
    or a folder is refused, and a symbolic link that leads round in a loop says so.
    """
    try:
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise OSError(exc.errno, "it is a symbolic link that leads round in a loop") from None
        raise
    try:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(errno.EINVAL, f"it is {_kind(mode)}, not a plain file")
    except OSError:
        os.close(descriptor)
        raise
    with os.fdopen(descriptor, "rb") as file:
        return file.read(limit + 1)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "a device"


def read_text(path: FsPath, display: str, limit: int = MAX_FILE_BYTES) -> tuple[str | None, list[Problem]]:
    """The file's text, or the one problem that stops it being read (size, encoding, access)."""
    try:
        data = read_bytes(path, limit)
    except OSError as exc:
        return None, [Problem(f"cannot read the file: {exc.strerror or exc}", (), display, None)]
    return decode(data, display, limit)


def decode(data: bytes, display: str, limit: int) -> tuple[str | None, list[Problem]]:
    if len(data) > limit:
        return None, [Problem(f"the file is larger than {_size(limit)}, the most this reader takes", (), display, None)]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        byte = data[exc.start]
        message = f"not UTF-8 text: byte 0x{byte:02X} cannot be read (save the file as UTF-8)"
        return None, [Problem(message, (), display, line_at(data, exc.start))]
    return text.removeprefix("\ufeff"), []


def _size(limit: int) -> str:
    return f"{limit // 1_000_000} MB"
