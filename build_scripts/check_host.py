"""Check a deployed copy of the site over HTTP: ``python -m build_scripts.check_host URL``.

What a web officer would check by hand after uploading site/: every file the site lists
is there, each is sent with the right type, every response carries the security headers
and the cache rule, and the service worker is served. Prints each problem with how to fix
it, and exits 1 when there is any.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.error
import urllib.request
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from email.message import Message
from urllib.parse import urljoin, urlsplit

from .host_files import CACHE_FOREVER, SAME_TYPES, SECURITY_HEADERS, TYPES, is_hashed
from .paths import PYODIDE_FILES

TIMEOUT_S = 30
HEADER_FIX = (
    "nginx: include deploy/nginx.conf inside the site's server block, with no add_header in its locations; "
    "Apache: upload site/.htaccess too, enable mod_headers and allow it with AllowOverride FileInfo; "
    "Netlify or Cloudflare Pages: upload site/_headers too; "
    "GitHub Pages cannot send headers (see the README's Deploying section)"
)
TYPE_FIX = (
    "nginx: include deploy/nginx.conf (its types block); Apache: upload site/.htaccess (AddType lines) "
    "with AllowOverride FileInfo; other hosts: map the extension to this type in the host's settings"
)
CACHE_FIX = (
    "nginx: include deploy/nginx.conf; Apache: upload site/.htaccess with mod_headers; "
    "Netlify or Cloudflare Pages: upload site/_headers"
)
MISSING_FIX = "upload the whole built site/ folder again, as built (hidden files included)"


@dataclass(frozen=True)
class Answer:
    """What the server sent for one path (headers only; the body is not kept)."""

    path: str
    status: int
    headers: Message | None
    error: str = ""


@dataclass
class Report:
    problems: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, problem: str, path: str) -> None:
        self.problems[problem].append(path)


def fetch(base: str, path: str, keep_body: bool = False) -> tuple[Answer, bytes]:
    request = urllib.request.Request(urljoin(base, path), headers={"User-Agent": "cse-site check_host"})
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_S) as response:
            body = response.read() if keep_body else b""
            return Answer(path, response.status, response.headers), body
    except urllib.error.HTTPError as exc:
        return Answer(path, exc.code, exc.headers), b""
    except (OSError, ValueError) as exc:
        return Answer(path, 0, None, str(exc)), b""


def listed_files(worker: str) -> list[str]:
    """The paths the service worker lists (every file a reader's browser may ask for)."""
    paths: list[str] = []
    for name in ("SITE_FILES", "RUNTIME_FILES"):
        match = re.search(rf"const {name} = (\[.*?\]);", worker, re.S)
        if match:
            paths.extend(json.loads(match.group(1)))
    return paths


def files_without_worker(home: str, manifest: bytes) -> list[str]:
    """Without sw.js: the files the home page links to, the engine and the Pyodide core."""
    paths = {m.group(1) for m in re.finditer(r'(?:href|src)="(?!https?:|//|#|data:|mailto:)([^"#?]+)"', home)}
    paths |= {f"assets/pyodide/{name}" for name in PYODIDE_FILES}
    paths.add("assets/engine/manifest.json")
    try:
        data = json.loads(manifest)
        paths.add(data["wheel"])
        paths.update(data["protocols"].values())
    except (ValueError, KeyError, TypeError):
        pass
    return sorted(path.removeprefix("./") or "./" for path in paths)


def expected_type(path: str) -> str | None:
    name = urlsplit(path).path
    if name.endswith("/") or name in ("", "."):
        return "text/html"
    suffix = "." + name.rsplit(".", 1)[-1] if "." in name.rsplit("/", 1)[-1] else ""
    return TYPES.get(suffix)


def check_answer(answer: Answer, policy: str, report: Report) -> None:
    if answer.status != 200 or answer.headers is None:
        reason = f"HTTP {answer.status}" if answer.status else f"no answer: {answer.error}"
        report.add(f"MISSING ({reason}) - fix: {MISSING_FIX}", answer.path)
        return
    headers = answer.headers
    wanted_type = expected_type(answer.path)
    sent = (headers.get("Content-Type") or "no Content-Type").split(";")[0].strip().lower()
    if wanted_type and SAME_TYPES.get(sent, sent) != wanted_type:
        report.add(f"WRONG TYPE: sent as {sent}, must be {wanted_type} - fix: {TYPE_FIX}", answer.path)
    for name, value in SECURITY_HEADERS.items():
        wanted = policy if name == "Content-Security-Policy" else value
        got = headers.get(name)
        if got is None:
            report.add(f"HEADER MISSING: {name} (should be: {wanted}) - fix: {HEADER_FIX}", answer.path)
        elif " ".join(got.split()) != wanted:
            report.add(f"HEADER DIFFERS: {name} is {got!r}, should be {wanted!r} - fix: {HEADER_FIX}", answer.path)
    cache = (headers.get("Cache-Control") or "").lower()
    if is_hashed(answer.path):
        age = re.search(r"max-age=(\d+)", cache)
        if age is None or int(age.group(1)) < 31_536_000:
            report.add(
                f"CACHE: a content-hashed file should be sent with '{CACHE_FOREVER}' - fix: {CACHE_FIX}", answer.path
            )
    elif "no-cache" not in cache and "no-store" not in cache and not re.search(r"max-age=0\b", cache):
        shown = cache or "no Cache-Control"
        report.add(
            f"CACHE: sent with {shown}; browsers may show readers an old copy for days after a redeploy. "
            f"Send 'no-cache' - fix: {CACHE_FIX}",
            answer.path,
        )


def check(base: str) -> tuple[Report, int]:
    """Check the site at ``base``; return the problems found and how many files were checked."""
    base = base if base.endswith("/") else base + "/"
    report = Report()
    home, home_body = fetch(base, "./", keep_body=True)
    if home.status != 200:
        report.add(f"MISSING ({home.status or home.error}): the home page - fix: {MISSING_FIX}", "./")
        return report, 1
    text = home_body.decode("utf-8", "replace")
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', text)
    if meta is None:
        report.add("NO POLICY in the page: this is not a build of this site, or an old one - fix: rebuild", "./")
    policy = (meta.group(1) if meta else SECURITY_HEADERS["Content-Security-Policy"].rsplit(";", 1)[0]) + (
        "; frame-ancestors 'none'"
    )
    worker, worker_body = fetch(base, "sw.js", keep_body=True)
    if worker.status == 200:
        paths = listed_files(worker_body.decode("utf-8", "replace"))
        if not paths:
            report.add("SERVICE WORKER: sw.js lists no files; it is not this site's - fix: rebuild", "sw.js")
    else:
        report.add(
            f"NO SERVICE WORKER (HTTP {worker.status}): offline use is off, and readers who had it lose it "
            "(right only if sw.js was removed on purpose, the kill switch) - fix: upload site/sw.js",
            "sw.js",
        )
        _, manifest = fetch(base, "assets/engine/manifest.json", keep_body=True)
        paths = files_without_worker(text, manifest)
    answers = [home, worker] if worker.status == 200 else [home]
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers += [answer for answer, _ in pool.map(lambda path: fetch(base, path), [p for p in paths if p != "./"])]
    for answer in answers:
        check_answer(answer, policy, report)
    return report, len(answers)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_scripts.check_host", description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the deployed site's address, e.g. https://safeguarding.example.gov.uk/")
    args = parser.parse_args(argv)
    report, checked = check(args.url)
    for problem, paths in report.problems.items():
        shown = ", ".join(paths[:5]) + (f" and {len(paths) - 5} more" if len(paths) > 5 else "")
        print(f"{problem}\n    on {len(paths)} file(s): {shown}")
    if report.problems:
        print(f"{len(report.problems)} problem(s) found in {checked} file(s) checked at {args.url}")
        return 1
    print(f"all good: {checked} file(s) checked at {args.url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
