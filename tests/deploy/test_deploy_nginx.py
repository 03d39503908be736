"""The site on a real Debian nginx with deploy/nginx.conf: types, headers on every response,
scoring in Chromium, no framing by another origin; the Apache and _headers files carry the
same policy; check_host finds what a host gets wrong; start-up failures name the culprit."""

from __future__ import annotations

import gzip
import json
import re
import subprocess
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import pytest

from build_scripts.host_files import (
    CACHE_FOREVER,
    HOST_FILES,
    SECURITY_HEADERS,
    TYPES,
    apache_headers,
    headers_file_rules,
    is_hashed,
    nginx_headers,
)
from build_scripts.precompress import is_copy
from tests.helpers.browser import ENGINE_TIMEOUT_MS
from tests.helpers.nginx_server import DEPLOY_CONF, Nginx, copy_site
from tests.helpers.site import page_paths
from tools import check_host

pytestmark = [pytest.mark.site]

META = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def _page_policies(site: Path) -> set[str]:
    return {META.findall(page.read_text(encoding="utf-8"))[0] for page in site.rglob("*.html")}


def test_every_host_file_says_the_policy_of_the_pages(built_site: Path) -> None:
    policies = _page_policies(built_site)
    assert len(policies) == 1, "every page must carry one and the same policy"
    header_policy = policies.pop() + "; frame-ancestors 'none'"
    assert SECURITY_HEADERS["Content-Security-Policy"] == header_policy
    said = {
        "deploy/nginx.conf": nginx_headers(DEPLOY_CONF.read_text(encoding="utf-8")),
        "site/.htaccess": apache_headers((built_site / ".htaccess").read_text(encoding="utf-8")),
        "site/_headers": headers_file_rules((built_site / "_headers").read_text(encoding="utf-8"))["/*"],
    }
    for name, headers in said.items():
        assert {key: headers.get(key) for key in SECURITY_HEADERS} == SECURITY_HEADERS, name
    rules = headers_file_rules((built_site / "_headers").read_text(encoding="utf-8"))
    for path in built_site.rglob("*"):
        relative = "/" + path.relative_to(built_site).as_posix()
        if path.is_file() and is_hashed(relative):
            assert rules[relative]["Cache-Control"] == CACHE_FOREVER, relative
        if path.suffix in (".mjs", ".wasm", ".whl"):
            assert rules[relative]["Content-Type"] == TYPES[path.suffix], relative
    htaccess = (built_site / ".htaccess").read_text(encoding="utf-8")
    for suffix in (".mjs", ".wasm", ".whl", ".json"):
        assert re.search(rf"^AddType {re.escape(TYPES[suffix])} .*\{suffix}\b", htaccess, re.M), suffix


def _get(url: str) -> Any:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.status, response.headers


def test_every_response_from_nginx_carries_the_headers_and_the_right_type(nginx: Nginx, built_site: Path) -> None:
    base = nginx.url("deployed")
    files = [
        p.relative_to(built_site).as_posix()
        for p in sorted(built_site.rglob("*"))
        if p.is_file() and p.name not in HOST_FILES and not is_copy(p)
    ]
    assert len(files) > 50, "the built site should hold every page and asset"
    for path in files:
        status, headers = _get(base + path)
        assert status == 200, path
        for name, value in SECURITY_HEADERS.items():
            assert headers[name] == value, f"{path}: {name}"
        assert headers["Cache-Control"] == (CACHE_FOREVER if is_hashed(path) else "no-cache"), path
        suffix = Path(path).suffix
        if suffix in TYPES:
            assert headers["Content-Type"].split(";")[0] == TYPES[suffix], path
    for page in page_paths(built_site):  # pages by their folder address, as readers ask for them
        status, headers = _get(base + page)
        assert headers["Content-Type"] == "text/html; charset=utf-8"
        assert headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"], page
    assert _get(base + "assets/engine/manifest.json")[1]["Cache-Control"] == "no-cache"
    # The stock server, for comparison: this is what the include fixes.
    stock = nginx.url("stock")
    assert _get(stock + "assets/pyodide/pyodide.mjs")[1]["Content-Type"] == "application/octet-stream"
    assert "Content-Security-Policy" not in _get(stock)[1]


def test_nginx_does_not_serve_the_other_hosts_settings(nginx: Nginx) -> None:
    for name in HOST_FILES:
        with pytest.raises(urllib.error.HTTPError) as refused:
            _get(nginx.url("deployed") + name)
        assert refused.value.code == 404


def test_check_host_passes_on_the_deployed_copy(nginx: Nginx, capsys: pytest.CaptureFixture[str]) -> None:
    assert check_host.main([nginx.url("deployed")]) == 0
    out = capsys.readouterr().out
    assert out.startswith("all good:"), out
    checked = int(re.search(r"(\d+) file\(s\) checked", out).group(1))  # type: ignore[union-attr]
    assert checked > 60  # every file the service worker lists, and sw.js


def test_check_host_names_a_missing_header_and_how_to_fix_it(nginx: Nginx, capsys: pytest.CaptureFixture[str]) -> None:
    assert check_host.main([nginx.url("one_header_less")]) == 1
    out = capsys.readouterr().out
    assert "HEADER MISSING: Permissions-Policy" in out
    assert "include deploy/nginx.conf" in out
    problems = [line for line in out.splitlines() if not line.startswith(" ")][:-1]
    assert len(problems) == 1, out  # only that header: every other check passes
    assert out.splitlines()[-1].startswith("1 problem(s) found in ")


def test_check_host_on_a_stock_server_names_types_headers_and_caching(
    nginx: Nginx, capsys: pytest.CaptureFixture[str]
) -> None:
    assert check_host.main([nginx.url("stock")]) == 1
    out = capsys.readouterr().out
    assert "WRONG TYPE: sent as application/octet-stream, must be text/javascript" in out
    assert "assets/pyodide/pyodide.mjs" in out
    for name in SECURITY_HEADERS:
        assert f"HEADER MISSING: {name}" in out
    assert "CACHE: sent with no Cache-Control" in out


def test_check_host_names_a_page_in_place_of_a_missing_script(
    nginx: Nginx, built_site: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On a host that answers a missing path with its home page (200), a missing file is
    named as missing, not passed for being there."""
    root = copy_site(built_site, nginx.roots["rewrite"])
    (root / "assets/javascripts/exit-this-page.js").unlink()
    assert check_host.main([nginx.url("rewrite")]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[:2] == [
        "WRONG TYPE: sent as text/html, must be text/javascript (a page in place of the file: the host's answer "
        f"for a missing file?) - fix: {check_host.MISSING_FIX}",
        "    on 1 file(s): assets/javascripts/exit-this-page.js",
    ]
    assert lines[2].startswith("1 problem(s) found in ")
    (root / "sw.js").unlink()  # the kill switch on this host: sw.js comes back as the home page
    assert check_host.main([nginx.url("rewrite")]) == 1
    assert capsys.readouterr().out.startswith(
        "NO SERVICE WORKER (sent as text/html, not JavaScript: the host's answer for a missing file?)"
    )


# In Chromium -------------------------------------------------------------------------------

SEEN_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (e) =>
  window.__cspViolations.push(e.violatedDirective + " " + e.blockedURI));
"""


@pytest.mark.browser
def test_a_screening_scores_on_nginx_with_the_headers(browser: Any, nginx: Nginx) -> None:
    base = nginx.url("deployed")
    context = browser.new_context()
    page = context.new_page()
    page.add_init_script(SEEN_VIOLATIONS)
    responses: list[Any] = []
    page.on("response", lambda response: responses.append(response))
    page.goto(base)
    page.goto(base + "screening/pan-lancashire/")
    page.locator("#item-phones").check()
    page.wait_for_selector("[data-screening-level='level-4']", timeout=ENGINE_TIMEOUT_MS)
    assert page.evaluate("window.__cspViolations") == []
    documents = [r for r in responses if r.request.resource_type == "document"]
    assert len(documents) == 2
    for response in documents:
        assert response.headers["content-security-policy"] == SECURITY_HEADERS["Content-Security-Policy"]
        assert response.headers["permissions-policy"] == SECURITY_HEADERS["Permissions-Policy"]
    context.close()


@pytest.mark.browser
def test_another_origin_cannot_frame_a_page(browser: Any, nginx: Nginx) -> None:
    other = nginx.roots["other_origin"]
    (other / "frames.html").write_text(
        "<!doctype html><title>Frames</title>"
        f'<iframe id="ours" src="{nginx.url("deployed")}screening/pan-lancashire/"></iframe>'
        f'<iframe id="stock" src="{nginx.url("stock")}screening/pan-lancashire/"></iframe>',
        encoding="utf-8",
    )
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    messages: list[str] = []
    page.on("console", lambda message: messages.append(message.text))
    page.goto(nginx.url("other_origin") + "frames.html")
    page.wait_for_load_state("load")
    # The same page from a server without the headers shows in the frame: the check can fail.
    assert "Pan Lancashire" in page.frame_locator("#stock").get_by_role("heading", level=1).inner_text(timeout=15_000)
    ours = page.locator("#ours").element_handle().content_frame()
    assert ours is not None
    assert ours.url.startswith("chrome-error://"), ours.url  # Chromium's page for a refused frame
    assert "Pan Lancashire" not in ours.content()
    assert any("frame-ancestors" in message for message in messages), messages
    context.close()


@pytest.mark.browser
def test_a_server_sending_the_wrong_type_is_named_as_the_fault(browser: Any, nginx: Nginx) -> None:
    context = browser.new_context(service_workers="block")
    page = context.new_page()
    page.goto(nginx.url("stock") + "screening/pan-lancashire/")
    status = page.locator("[data-screening-status]")
    status.get_by_text("Scoring is unavailable because of a fault on this website").wait_for(timeout=ENGINE_TIMEOUT_MS)
    text = status.inner_text()
    assert "pyodide.mjs as application/octet-stream instead of JavaScript" in text
    assert "this browser" not in text
    context.close()


@pytest.mark.browser
def test_a_browser_blocking_webassembly_is_named_as_the_cause(browser: Any, nginx: Nginx) -> None:
    """A policy on the worker without 'wasm-unsafe-eval' is what a locked-down browser does."""
    context = browser.new_context(service_workers="block")

    def strict_worker(route: Any) -> None:
        response = route.fetch()
        headers = {**response.headers, "content-security-policy": "script-src 'self'"}
        route.fulfill(response=response, headers=headers)

    context.route("**/screening-worker.js", strict_worker)
    page = context.new_page()
    page.goto(nginx.url("deployed") + "screening/pan-lancashire/")
    status = page.locator("[data-screening-status]")
    status.get_by_text("Scoring is unavailable in this browser").wait_for(timeout=ENGINE_TIMEOUT_MS)
    assert "blocks WebAssembly" in status.inner_text()
    context.close()


def test_nginx_follows_no_symbolic_link_out_of_the_site(nginx: Nginx, tmp_path: Path) -> None:
    """deploy/nginx.conf: a link in the site (to a file or a folder elsewhere) is refused."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("not part of the site", encoding="utf-8")
    root = nginx.roots["deployed"]
    (root / "secret.txt").symlink_to(outside / "secret.txt")
    (root / "elsewhere").symlink_to(outside, target_is_directory=True)
    try:
        for path in ("secret.txt", "elsewhere/secret.txt"):
            with pytest.raises(urllib.error.HTTPError) as refused:
                _get(nginx.url("deployed") + path)
            assert refused.value.code in (403, 404)
            assert b"not part of the site" not in refused.value.read()
        assert _get(nginx.url("deployed"))[1]["Content-Type"].startswith("text/html")  # the site itself still serves
    finally:
        (root / "secret.txt").unlink()
        (root / "elsewhere").unlink()


# Compressed copies ----------------------------------------------------------------------------


def _fetch(url: str, accept: str | None) -> tuple[Any, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": accept} if accept else {})
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.headers, response.read()


def _with_copies(site: Path) -> list[str]:
    return sorted(
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and not is_copy(p) and all(p.with_name(p.name + ext).exists() for ext in (".br", ".gz"))
    )


def test_the_build_writes_copies_that_decompress_to_their_files(built_site: Path) -> None:
    copied = _with_copies(built_site)
    for must in ("assets/pyodide/pyodide.asm.wasm", "assets/pyodide/pyodide.asm.mjs", "index.html"):
        assert must in copied, must
    assert [p for p in copied if p.startswith("assets/engine/snapshot.")], "the snapshot has copies"
    assert "sw.js" not in copied and not (built_site / "sw.js.gz").exists()  # the kill switch must not be served stale
    for path in copied:
        original = (built_site / path).read_bytes()
        assert gzip.decompress((built_site / (path + ".gz")).read_bytes()) == original, path
    check = (
        "const fs = require('node:fs'), zlib = require('node:zlib');"
        "for (const p of JSON.parse(process.argv[1])) {"
        "  if (!zlib.brotliDecompressSync(fs.readFileSync(p + '.br')).equals(fs.readFileSync(p))) {"
        "    console.log(p); process.exit(1); } }"
    )
    result = subprocess.run(
        ["node", "-e", check, json.dumps([str(built_site / p) for p in copied])], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    wasm = built_site / "assets/pyodide/pyodide.asm.wasm"
    assert (wasm.with_name(wasm.name + ".br")).stat().st_size < 0.32 * wasm.stat().st_size


@pytest.mark.parametrize(
    ("accept", "encoding"),
    [("gzip, deflate, br, zstd", "br"), ("br", "br"), ("gzip, deflate", "gzip"), ("identity", None), (None, None)],
)
def test_nginx_sends_the_copy_the_browser_accepts(
    nginx: Nginx, built_site: Path, accept: str | None, encoding: str | None
) -> None:
    base = nginx.url("deployed")
    copied = _with_copies(built_site)
    for path in copied:
        headers, body = _fetch(base + path, accept)
        suffix = {"br": ".br", "gzip": ".gz", None: ""}[encoding]
        assert body == (built_site / (path + suffix)).read_bytes(), f"{path} with Accept-Encoding {accept}"
        assert headers.get("Content-Encoding") == encoding, path
        # The type of the file the copy stands for; a suffix the site's list does not know
        # (the snapshot's .bin) goes out as nginx's default.
        expected = TYPES.get(Path(path).suffix, "application/octet-stream")
        assert headers["Content-Type"].split(";")[0] == expected, path
        assert "Accept-Encoding" in headers.get("Vary", ""), path
        assert headers["Cache-Control"] == (CACHE_FOREVER if is_hashed(path) else "no-cache"), path
        assert headers["Content-Security-Policy"] == SECURITY_HEADERS["Content-Security-Policy"], path


def test_without_the_copies_nginx_sends_the_files(nginx: Nginx, built_site: Path) -> None:
    base = nginx.url("uncompressed")
    assert not list(nginx.roots["uncompressed"].rglob("*.br"))
    for path in ("assets/pyodide/pyodide.asm.mjs", "index.html"):
        headers, body = _fetch(base + path, "br")
        assert headers.get("Content-Encoding") is None
        assert body == (built_site / path).read_bytes()
        headers, body = _fetch(base + path, "gzip")  # compressed on the fly
        assert headers.get("Content-Encoding") == "gzip"
        assert gzip.decompress(body) == (built_site / path).read_bytes()


@pytest.mark.browser
@pytest.mark.parametrize("server", ["deployed", "uncompressed"])
def test_a_screening_scores_with_and_without_the_copies(browser: Any, nginx: Nginx, server: str) -> None:
    context = browser.new_context()
    page = context.new_page()
    encodings: dict[str, str] = {}
    page.on("response", lambda r: encodings.update({r.url: r.headers.get("content-encoding", "")}))
    page.goto(nginx.url(server) + "screening/pan-lancashire/")
    page.locator("#item-phones").check()
    page.wait_for_selector("[data-screening-level='level-4']", timeout=ENGINE_TIMEOUT_MS)
    wasm = [encoding for url, encoding in encodings.items() if url.endswith("pyodide.asm.wasm")]
    assert wasm, "the runtime was fetched"
    if server == "deployed":
        assert wasm[0] in ("br", "gzip"), wasm  # a copy, whichever the browser accepts over http
    context.close()


def test_a_copy_is_never_sent_for_a_file_that_is_gone(nginx: Nginx) -> None:
    """A deploy that removed a file but left its copies: nginx answers 404, not the old copy."""
    root = nginx.roots["deployed"]
    page = root / "index.html"
    kept = page.read_bytes()
    assert page.with_name("index.html.br").exists() and page.with_name("index.html.gz").exists()
    page.unlink()
    try:
        for accept in ("br", "gzip", None):
            with pytest.raises(urllib.error.HTTPError) as refused:
                _fetch(nginx.url("deployed") + "index.html", accept)
            assert refused.value.code in (403, 404), accept
        with pytest.raises(urllib.error.HTTPError) as by_name:
            _fetch(nginx.url("deployed") + "index.html.br", None)  # never served when asked for by name
        assert by_name.value.code == 404
    finally:
        page.write_bytes(kept)
