"""Put a Content-Security-Policy on every built page.

Runs on the generator's output, so it does not depend on template overrides. The policy
allows only the site's own origin; scripts must be files from the site or inline scripts
whose SHA-256 is listed (the theme's own few, found in the built pages);
``'wasm-unsafe-eval'`` lets Pyodide compile WebAssembly. ``form-action 'none'`` means a
screening form can never be submitted anywhere, even with scripts off.
"""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

INLINE_SCRIPT = re.compile(r"<script(?P<attrs>[^>]*)>(?P<body>.*?)</script>", re.S)
NOT_JAVASCRIPT = re.compile(r"""type=["'](?!module|text/javascript)[^"']+["']""")
MARKER = '<meta http-equiv="Content-Security-Policy"'


def inline_script_hashes(html: str) -> set[str]:
    hashes = set()
    for match in INLINE_SCRIPT.finditer(html):
        attrs = match.group("attrs")
        if "src=" in attrs or NOT_JAVASCRIPT.search(attrs):
            continue
        digest = hashlib.sha256(match.group("body").encode("utf-8")).digest()
        hashes.add(f"'sha256-{base64.b64encode(digest).decode('ascii')}'")
    return hashes


def policy(script_hashes: set[str]) -> str:
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self' 'wasm-unsafe-eval' " + " ".join(sorted(script_hashes)),
            "worker-src 'self'",
            "connect-src 'self'",
            "img-src 'self' data:",
            "style-src 'self' 'unsafe-inline'",
            "font-src 'self'",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'none'",
        ]
    )


def add_content_security_policy(site: Path) -> str:
    """Write the policy into every HTML page of ``site``; return it."""
    pages = sorted(site.rglob("*.html"))
    texts = {page: page.read_text(encoding="utf-8") for page in pages}
    hashes: set[str] = set()
    for text in texts.values():
        hashes |= inline_script_hashes(text)
    text_policy = policy(hashes)
    meta = f'{MARKER} content="{text_policy}">'
    for page, text in texts.items():
        if MARKER in text:
            continue
        # Straight after the charset declaration, before any script or style.
        charset = re.search(r"<meta charset=[^>]*>", text)
        head = text.find("<head>")
        if charset is None and head < 0:
            raise ValueError(f"{page}: no <head> to put the Content-Security-Policy in")
        cut = charset.end() if charset is not None else head + len("<head>")
        page.write_text(text[:cut] + "\n    " + meta + text[cut:], encoding="utf-8")
    return text_policy
