"""A real Debian nginx for the deploy tests: one process, one server block per kind of host.

nginx runs from a tmp folder (its own config, pid, logs and temp paths), each server on a
free 127.0.0.1 port; the readiness wait prints nginx's error log if it never comes up.
The servers:

- ``deployed``: the built site with the repository's ``deploy/nginx.conf`` included, as
  the README tells a web officer to set it up;
- ``uncompressed``: the same settings, on a copy of the site without the build's .br and
  .gz copies (a host that cannot send them, or a deploy that left them out);
- ``one_header_less``: the same, with the Permissions-Policy line taken out of a copy;
- ``stock``: Debian's nginx as installed, nothing added (``.mjs`` goes out as
  application/octet-stream);
- ``no_cache_headers``: a host that sends no Cache-Control and no security headers but
  knows ``.mjs``; its folder is rewritten by the redeploy tests;
- ``rewrite``: ``deploy/nginx.conf`` with a common rewrite rule that answers every missing
  path with the home page (200, HTML); its folder too is rewritten by the redeploy tests;
- ``slow``: the ``no_cache_headers`` host that answers chapters at most one every ten
  seconds (a request is held before any byte is sent) while a file named ``slow`` is in
  its folder; its folder too is rewritten by the tests;
- ``other_origin``: another site, whose page frames ours.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
NGINX = os.environ.get("NGINX") or shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = Path("/etc/nginx/mime.types")
DEPLOY_CONF = ROOT / "deploy" / "nginx.conf"
DEPLOYED = f"        include {DEPLOY_CONF};\n"
TEN_DAYS_S = 10 * 24 * 3600
# A host that knows .mjs but sends no Cache-Control and no security headers.
MJS_ONLY = "        location ~ \\.mjs$ {\n            types { }\n            default_type text/javascript;\n        }\n"
# Chapters answered one every ten seconds, once the test puts a file named "slow" in the
# folder (requests with an empty key are not limited).
SLOW_ZONE = "    limit_req_zone $cse_slow zone=cse_slow:1m rate=6r/m;\n"
SLOW_CHAPTERS = (
    '        set $cse_slow "";\n        if (-f $document_root/slow) {\n            set $cse_slow slow;\n        }\n'
    "        location /understanding/ {\n            limit_req zone=cse_slow burst=50;\n        }\n"
)
# A single-page-app rule: a missing path gets the home page, with 200.
REWRITE_TO_HOME = "        location / {\n            try_files $uri $uri/ /index.html;\n        }\n"


@dataclass(frozen=True)
class Nginx:
    """Base URLs and document roots of the running servers, and nginx's error log."""

    urls: dict[str, str]
    roots: dict[str, Path]
    error_log: Path

    def url(self, server: str) -> str:
        return self.urls[server]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def age(folder: Path, seconds: float) -> None:
    """Set every file's modification time ``seconds`` in the past, as an old deploy has."""
    when = time.time() - seconds
    for path in folder.rglob("*"):
        if path.is_file():
            os.utime(path, (when, when))


def copy_site(site: Path, target: Path) -> Path:
    """Put a copy of ``site`` at ``target`` (replacing what was there), aged ten days."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(site, target)
    age(target, TEN_DAYS_S)
    return target


def without_copies(site: Path) -> Path:
    """Remove the build's compressed copies (.br, .gz) from a copy of the site."""
    for path in list(site.rglob("*")):
        if path.is_file() and path.suffix in (".br", ".gz"):
            path.unlink()
    return site


def _server(port: int, root: Path, body: str) -> str:
    return f"    server {{\n        listen 127.0.0.1:{port};\n        root {root};\n{body}    }}\n"


def nginx_config(tmp: Path, ports: dict[str, int], roots: dict[str, Path], trimmed_conf: Path) -> str:
    user = "user root;\n" if os.geteuid() == 0 else ""  # workers must read the tmp folders
    servers = [
        _server(ports["deployed"], roots["deployed"], DEPLOYED),
        _server(ports["uncompressed"], roots["uncompressed"], DEPLOYED),
        _server(ports["one_header_less"], roots["deployed"], f"        include {trimmed_conf};\n"),
        _server(ports["stock"], roots["deployed"], ""),
        _server(
            ports["no_cache_headers"],
            roots["no_cache_headers"],
            MJS_ONLY,
        ),
        _server(ports["other_origin"], roots["other_origin"], ""),
        _server(ports["rewrite"], roots["rewrite"], f"        include {DEPLOY_CONF};\n{REWRITE_TO_HOME}"),
        _server(ports["slow"], roots["slow"], MJS_ONLY + SLOW_CHAPTERS),
    ]
    temp = "\n".join(
        f"    {name}_temp_path {tmp / name};" for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        f"{user}worker_processes 1;\npid {tmp / 'nginx.pid'};\nerror_log {tmp / 'error.log'} warn;\n"
        "daemon off;\nevents { worker_connections 128; }\nhttp {\n"
        f"    include {MIME_TYPES};\n    default_type application/octet-stream;\n"
        f"    access_log off;\n    sendfile on;\n{temp}\n{SLOW_ZONE}" + "".join(servers) + "}\n"
    )


def _wait_until_ready(process: subprocess.Popen[bytes], urls: list[str], error_log: Path) -> None:
    deadline = time.monotonic() + 20
    waiting = list(urls)
    while waiting and time.monotonic() < deadline and process.poll() is None:
        try:
            urllib.request.urlopen(waiting[0], timeout=2).close()
            waiting.pop(0)
        except urllib.error.HTTPError:
            waiting.pop(0)  # it answers: ready
        except OSError:
            time.sleep(0.1)
    if waiting:
        process.kill()
        output = process.communicate()[0].decode("utf-8", "replace")
        log = error_log.read_text(encoding="utf-8") if error_log.exists() else "(no error log)"
        pytest.fail(f"nginx did not become ready on {waiting[0]}:\n{output}\nerror log:\n{log}")


@pytest.fixture(scope="session")
def nginx(built_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Nginx]:
    """One nginx for the session, serving copies of the built site (aged ten days)."""
    if not Path(NGINX).exists() or not MIME_TYPES.exists():
        pytest.fail("Debian's nginx is not installed: the README's test command installs it (apt-get install nginx)")
    tmp = tmp_path_factory.mktemp("nginx")
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / name).mkdir()
    roots = {
        "deployed": copy_site(built_site, tmp / "deployed"),
        "no_cache_headers": copy_site(built_site, tmp / "redeploy"),
        "rewrite": copy_site(built_site, tmp / "rewrite"),
        "slow": copy_site(built_site, tmp / "slow"),
        "uncompressed": without_copies(copy_site(built_site, tmp / "uncompressed")),
        "other_origin": tmp / "other",
    }
    roots["other_origin"].mkdir()
    trimmed = tmp / "nginx-without-permissions-policy.conf"
    trimmed.write_text(
        "".join(
            line
            for line in DEPLOY_CONF.read_text(encoding="utf-8").splitlines(keepends=True)
            if not line.startswith("add_header Permissions-Policy")
        ),
        encoding="utf-8",
    )
    ports = {
        name: _free_port()
        for name in (
            "deployed",
            "one_header_less",
            "stock",
            "no_cache_headers",
            "other_origin",
            "rewrite",
            "slow",
            "uncompressed",
        )
    }
    conf = tmp / "nginx.conf"
    conf.write_text(nginx_config(tmp, ports, roots, trimmed), encoding="utf-8")
    process = subprocess.Popen(
        [NGINX, "-p", str(tmp), "-e", str(tmp / "error.log"), "-c", str(conf)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    urls = {name: f"http://127.0.0.1:{port}/" for name, port in ports.items()}
    (roots["other_origin"] / "index.html").write_text("<!doctype html><title>Other</title><p>Another site</p>")
    _wait_until_ready(process, list(urls.values()), tmp / "error.log")
    yield Nginx(urls, {**roots, "one_header_less": roots["deployed"], "stock": roots["deployed"]}, tmp / "error.log")
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
