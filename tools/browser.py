"""How the tests and the benchmark start and wait on Chromium on these machines.

Debian's Chromium, never a browser downloaded by Playwright; the flags keep it from
reaching for any network service of its own.
"""

from __future__ import annotations

import os
import time
from typing import Any

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    # Nothing leaves this machine: every address but the loopback ones, which Chromium never
    # sends through a proxy, goes to a proxy that is not there. Tests then need no request
    # interception to stay local (interception turns the browser's HTTP cache off).
    "--proxy-server=http://127.0.0.1:9",
]


def wait_until(page: Any, expression: str, timeout_s: float = 60) -> None:
    """Poll until ``expression`` (which may give a promise) is true: wait_for_function would
    take the promise itself as a true value and return at once."""
    deadline = time.monotonic() + timeout_s
    while page.evaluate(expression) is not True:
        assert time.monotonic() < deadline, f"still not true: {expression}"
        page.wait_for_timeout(250)
