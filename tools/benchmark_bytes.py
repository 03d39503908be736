"""Bytes of a first screening visit through nginx: ``python -m tools.benchmark_bytes``.

Builds the site twice, once as before the trimmed library and the compressed copies
(``CSE_STDLIB=full CSE_PRECOMPRESS=off``) and once as it is built now, serves both from one
Debian nginx with ``deploy/nginx.conf``, as the README tells a web officer to set it up,
and has Chromium make
a reader's first visit to a screening page in a fresh profile: the page, one tick, the
result, then what the site fetches while the reader reads (the runtime kept for offline use
and the start-up snapshot). nginx's access log counts every byte it sent, headers included.
Prints both builds side by side, by kind of file, with the ratio and the target.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from build_scripts.paths import ROOT

from .benchmark import ITEM, SCREENING, _launch, _runtime_cached

NGINX = os.environ.get("NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
DEPLOY = ROOT / "deploy"
BEFORE_ENV = {"CSE_STDLIB": "full", "CSE_PRECOMPRESS": "off"}
TARGET = 0.7
KINDS = (("runtime", "/assets/pyodide/"), ("snapshot", "/assets/engine/snapshot."), ("engine", "/assets/engine/"))
SETTLED_S = 3.0


def build(out: Path, env: dict[str, str]) -> Path:
    """Build the site into ``out`` with these settings added to the environment."""
    command = [sys.executable, "-m", "build_scripts.build", "--out", str(out)]
    result = subprocess.run(command, cwd=ROOT, env={**os.environ, **env}, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise SystemExit(f"the build failed:\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}")
    return out / "site"


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def nginx(sites: dict[str, Path], tmp: Path) -> Iterator[dict[str, tuple[str, Path]]]:
    """One nginx serving each site with deploy/nginx.conf; name -> (address, access log)."""
    includes = f"include {DEPLOY / 'nginx.conf'};"
    served = {}
    servers = []
    for name, site in sites.items():
        port, log = _free_port(), tmp / f"{name}.log"
        served[name] = (f"http://127.0.0.1:{port}/", log)
        servers.append(f"server {{ listen 127.0.0.1:{port}; root {site}; access_log {log} sent; {includes} }}")
    temps = " ".join(f"{kind}_temp_path {tmp / kind};" for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    conf = tmp / "nginx.conf"
    conf.write_text(
        ("user root;\n" if os.geteuid() == 0 else "")
        + f"worker_processes 1; pid {tmp / 'nginx.pid'}; error_log {tmp / 'error.log'} warn; daemon off;\n"
        + "events { worker_connections 128; }\n"
        + f"http {{ include /etc/nginx/mime.types; {temps}\n"
        + "log_format sent '$bytes_sent $request_uri';\n"
        + "\n".join(servers)
        + "\n}\n",
        encoding="utf-8",
    )
    process = subprocess.Popen([NGINX, "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(conf)])
    try:
        time.sleep(1)
        if process.poll() is not None:
            raise SystemExit(f"nginx did not start: {(tmp / 'error.log').read_text(encoding='utf-8')}")
        yield served
    finally:
        process.terminate()
        process.wait(timeout=10)


def _logged(log: Path) -> list[tuple[int, str]]:
    if not log.exists():
        return []
    rows = [line.split(" ", 1) for line in log.read_text(encoding="utf-8").splitlines() if " " in line]
    return [(int(sent), path) for sent, path in rows]


def first_visit(browser: object, url: str, log: Path) -> list[tuple[int, str]]:
    """A reader's first screening, in a fresh profile, until nothing more is fetched."""
    context = browser.new_context()  # type: ignore[attr-defined]
    try:
        page = context.new_page()
        page.goto(url + SCREENING)
        page.locator(ITEM).check()
        page.wait_for_selector("[data-screening-level]", timeout=300_000)
        _runtime_cached(page)
        last, since = -1, time.monotonic()
        while time.monotonic() - since < SETTLED_S:  # the snapshot comes while the reader reads
            total = sum(sent for sent, _ in _logged(log))
            if total != last:
                last, since = total, time.monotonic()
            page.wait_for_timeout(250)
        return _logged(log)
    finally:
        context.close()


def by_kind(rows: list[tuple[int, str]]) -> dict[str, int]:
    totals = {kind: 0 for kind, _ in KINDS} | {"pages and assets": 0}
    for sent, path in rows:
        kind = next((kind for kind, prefix in KINDS if path.startswith(prefix)), "pages and assets")
        totals[kind] += sent
    totals["total"] = sum(sent for sent, _ in rows)
    return totals


def table(before: dict[str, int], after: dict[str, int]) -> list[str]:
    lines = [
        "| First screening visit, bytes through nginx | before (MB) | now (MB) | ratio | target  | verdict |",
        "|--------------------------------------------|-------------|----------|-------|---------|---------|",
    ]
    for kind in before:
        ratio = after[kind] / before[kind] if before[kind] else 0.0
        target, verdict = ("<= 0.7x", "met" if ratio <= TARGET else "MISSED") if kind == "total" else ("", "")
        lines.append(
            f"| {kind:<42} | {before[kind] / 1e6:>11.2f} | {after[kind] / 1e6:>8.2f} | {ratio:>5.2f} "
            f"| {target:<7} | {verdict:<7} |"
        )
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tools.benchmark_bytes", description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, help="a site built before (default: built now, with the changes off)")
    parser.add_argument("--after", type=Path, help="a site built now (default: built now)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="cse-bytes-") as folder:
        tmp = Path(folder)
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
            (tmp / kind).mkdir()
        sites = {
            "before": args.before or build(tmp / "before", BEFORE_ENV),
            "after": args.after or build(tmp / "after", {}),
        }
        playwright, browser = _launch()
        try:
            with nginx({name: site.resolve() for name, site in sites.items()}, tmp) as served:
                totals = {name: by_kind(first_visit(browser, *served[name])) for name in sites}
        finally:
            browser.close()
            playwright.stop()
    print("\n".join(table(totals["before"], totals["after"])))
    print("Debian's nginx with deploy/nginx.conf; Chromium, a fresh profile, one visit each")
    return 0


if __name__ == "__main__":
    sys.exit(main())
