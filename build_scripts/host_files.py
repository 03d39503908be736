"""What a web server must send with the site, and the host settings the build writes into site/.

One place holds the headers, the file types and the cache rule; ``deploy/`` holds the
commented settings for each kind of host (nginx, Apache, Netlify / Cloudflare Pages). The
build checks that every file in ``deploy/`` says exactly these headers, then copies the
Apache and ``_headers`` files into site/ so a plain upload carries them.

Step 6 of the build. Reads deploy/ and the site; writes site/.htaccess and site/_headers.
"""

from __future__ import annotations

import re
from pathlib import Path

from .errors import BuildError
from .paths import ROOT
from .security import HEADER_POLICY

DEPLOY = ROOT / "deploy"
NGINX = DEPLOY / "nginx.conf"
APACHE = DEPLOY / "htaccess"
HEADERS_FILE = DEPLOY / "_headers"
# Written into site/ for hosts that read them; never listed for the service worker.
HOST_FILES = (".htaccess", "_headers")

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)
SECURITY_HEADERS = {
    "Content-Security-Policy": HEADER_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": PERMISSIONS_POLICY,
}

# Names with a hash of the content in them never change: the theme's bundles, the moved
# inline scripts, the engine's protocol files and snapshot, and its wheel's folder.
HASHED = re.compile(r"(\.[0-9a-f]{8,}\.(min\.)?(js|css|json|bin)$)|(/wheels/[0-9a-f]{8,}/)")
CACHE_FOREVER = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"

# The type each kind of file must be sent with (the part before any "; charset=").
TYPES = {
    ".html": "text/html",
    ".css": "text/css",
    ".js": "text/javascript",
    ".mjs": "text/javascript",
    ".json": "application/json",
    ".map": "application/json",
    ".wasm": "application/wasm",
    ".whl": "application/zip",
    ".zip": "application/zip",
    ".gz": "application/gzip",
    ".xml": "application/xml",
    ".txt": "text/plain",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
}
# Types browsers accept as the same thing.
SAME_TYPES = {"application/javascript": "text/javascript", "application/x-javascript": "text/javascript"}
# Types Netlify and Cloudflare Pages might not send right on their own.
TYPED_IN_HEADERS_FILE = (".mjs", ".wasm", ".whl")


def is_hashed(url_path: str) -> bool:
    """Whether a path (``/assets/...`` or ``assets/...``) names content-hashed content."""
    return HASHED.search("/" + url_path.lstrip("/")) is not None


def cache_control_for(url_path: str) -> str:
    return CACHE_FOREVER if is_hashed(url_path) else REVALIDATE


_NGINX_HEADER = re.compile(r"""^\s*add_header\s+(?P<name>[\w-]+)\s+"(?P<value>[^"]*)"\s+always;""", re.M)
_APACHE_HEADER = re.compile(r"""^\s*Header\s+always\s+set\s+(?P<name>[\w-]+)\s+"(?P<value>[^"]*)"\s*$""", re.M)


def nginx_headers(text: str) -> dict[str, str]:
    return {m.group("name"): m.group("value") for m in _NGINX_HEADER.finditer(text)}


def apache_headers(text: str) -> dict[str, str]:
    return {
        m.group("name"): m.group("value") for m in _APACHE_HEADER.finditer(text) if m.group("name") != "Cache-Control"
    }


def headers_file_rules(text: str) -> dict[str, dict[str, str]]:
    """The rules of a ``_headers`` file: path -> {header: value}."""
    rules: dict[str, dict[str, str]] = {}
    current: dict[str, str] | None = None
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            current = rules.setdefault(line.strip(), {})
        elif current is not None:
            name, _, value = line.strip().partition(":")
            current[name.strip()] = value.strip()
    return rules


def check_sources() -> None:
    """Fail the build when a file in deploy/ does not say exactly the site's headers."""
    said = {
        NGINX: nginx_headers(NGINX.read_text(encoding="utf-8")),
        APACHE: apache_headers(APACHE.read_text(encoding="utf-8")),
        HEADERS_FILE: headers_file_rules(HEADERS_FILE.read_text(encoding="utf-8")).get("/*", {}),
    }
    problems = []
    for path, headers in said.items():
        for name, value in SECURITY_HEADERS.items():
            if headers.get(name) != value:
                problems.append(f"{path.relative_to(ROOT)}: {name} should be: {value}")
    if problems:
        raise BuildError("the host settings in deploy/ differ from the site's headers:\n" + "\n".join(problems))


def headers_file(site: Path) -> str:
    """The ``_headers`` file for ``site``: deploy/_headers, then one rule per listed file."""
    lines = [HEADERS_FILE.read_text(encoding="utf-8").rstrip("\n")]
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        relative = "/" + path.relative_to(site).as_posix()
        values = {}
        if path.suffix in TYPED_IN_HEADERS_FILE:
            values["Content-Type"] = TYPES[path.suffix]
        if is_hashed(relative):
            values["Cache-Control"] = CACHE_FOREVER
        if values:
            lines.append(relative)
            lines.extend(f"  {name}: {value}" for name, value in values.items())
    return "\n".join(lines) + "\n"


def write_host_files(site: Path) -> None:
    """Check deploy/ and write site/.htaccess and site/_headers."""
    check_sources()
    (site / ".htaccess").write_text(APACHE.read_text(encoding="utf-8"), encoding="utf-8")
    (site / "_headers").write_text(headers_file(site), encoding="utf-8")
