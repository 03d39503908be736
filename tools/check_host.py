"""Check a deployed copy of the site over HTTP: ``python -m tools.check_host URL``.

What a web officer would check by hand after uploading site/: every file the site lists
is there, each is sent with the right type, every response carries the security headers
and the cache rule, and the service worker is served. Prints each problem with how to fix
it, and exits 1 when there is any (2 for an address it cannot use).

It is safe to point at a broken or hostile host: it speaks HTTP itself over one socket per
file, with an overall time limit and limits on the size of every answer (status line,
header count and length, body), follows no redirect, asks only the origin it was given
for anything, and turns whatever comes back into one line per problem, never a traceback
(:mod:`tools.host_fetch` asks, :mod:`tools.host_wire` reads the answer; this module checks it).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import NoReturn
from urllib.parse import urljoin, urlsplit

from build_scripts.host_files import CACHE_FOREVER, SAME_TYPES, SECURITY_HEADERS, TYPES, is_hashed
from build_scripts.paths import PYODIDE_FILES

from .host_fetch import Answer, Origin, fetch, parse_address
from .host_wire import Clock, Headers, Limits, has_control, shown, shown_type

USAGE = "usage: python -m tools.check_host [--time-limit SECONDS] URL (e.g. https://safeguarding.example.gov.uk/)"
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
NO_ANSWER_FIX = "check the address, and that the server is up and reachable from here; then check again"
SERVER_FIX = "this is not a working web server's answer: check the server (and any proxy in front of it) and its logs"
REDIRECT_FIX = (
    "serve every file at its own address (upload site/ as built, with no redirect rule for it); "
    "the service worker does not keep a redirected file"
)
OFFSITE_FIX = (
    "check_host stays on the address it was given: if the site's real address is the other one, "
    "check that; otherwise remove the redirect"
)
LIST_FIX = "rebuild, and upload site/sw.js as built (the build lists only the site's own files)"
JAVASCRIPT = "text/javascript"


@dataclass
class Report:
    problems: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def add(self, problem: str, path: str) -> None:
        printable = path if path.isprintable() else shown(path)
        self.problems[problem].append(printable)


def listed_files(worker: str, report: Report) -> list[str]:
    """The paths the service worker lists (every file a reader's browser may ask for)."""
    paths: list[str] = []
    found = False
    for name in ("SITE_FILES", "RUNTIME_FILES"):
        match = re.search(rf"const {name} = (\[.*?\]);", worker, re.S)
        if not match:
            continue
        found = True
        try:
            value = json.loads(match.group(1))
        except json.JSONDecodeError as exc:
            report.add(f"SERVICE WORKER: its {name} list is not JSON ({exc.msg}) - fix: {LIST_FIX}", "sw.js")
            continue
        except RecursionError:
            report.add(f"SERVICE WORKER: its {name} list is nested too deeply - fix: {LIST_FIX}", "sw.js")
            continue
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            report.add(f"SERVICE WORKER: its {name} list is not a list of paths - fix: {LIST_FIX}", "sw.js")
            continue
        paths.extend(value)
    if not found:
        report.add(f"SERVICE WORKER: sw.js lists no files; it is not this site's - fix: {LIST_FIX}", "sw.js")
    return paths


def files_without_worker(home: str, manifest: bytes) -> list[str]:
    """Without sw.js: the files the home page links to, the engine and the Pyodide core."""
    # Links to other sites (and mailto:, tel:…) are the page's business, not files to check.
    links = (m.group(1) for m in re.finditer(r'(?:href|src)="([^"#?]+)"', home))
    paths = {link for link in links if not re.match(r"[A-Za-z][A-Za-z0-9+.-]*:|//", link)}
    paths |= {f"assets/pyodide/{name}" for name in PYODIDE_FILES}
    paths.add("assets/engine/manifest.json")
    try:
        data = json.loads(manifest)
        named = [data["wheel"], *data["protocols"].values()]
        paths.update(item for item in named if isinstance(item, str))
    except (ValueError, KeyError, TypeError, AttributeError, RecursionError):
        pass
    return sorted(path.removeprefix("./") or "./" for path in paths)


def own_paths(origin: Origin, paths: list[str], source: str, report: Report) -> list[str]:
    """The paths that name a file of this site; the others are reported, never asked for."""
    kept = []
    for path in dict.fromkeys(paths):
        if has_control(path):
            report.add(f"BAD ENTRY in {source}: a control character in the path; not asked for - fix: {LIST_FIX}", path)
            continue
        try:
            url = urljoin(origin.base, path)
            ours = origin.owns(url)
        except ValueError:
            report.add(f"BAD ENTRY in {source}: not a valid address; not asked for - fix: {LIST_FIX}", path)
            continue
        if not ours:
            report.add(f"OFF-SITE ENTRY in {source}: another site's address; not asked for - fix: {LIST_FIX}", path)
            continue
        kept.append(path)
    return kept


def expected_type(path: str) -> str | None:
    name = urlsplit(path).path
    if name.endswith("/") or name in ("", "."):
        return "text/html"
    suffix = "." + name.rsplit(".", 1)[-1] if "." in name.rsplit("/", 1)[-1] else ""
    return TYPES.get(suffix)


def sent_type(headers: Headers) -> str:
    sent = (headers.get("Content-Type") or "").split(";")[0].strip().lower()
    return SAME_TYPES.get(sent, sent)


def check_answered(answer: Answer, origin: Origin, report: Report) -> bool:
    """Report an answer that is not the file (none, broken, redirected, an error status)."""
    if answer.headers is None:
        kind = "NO ANSWER" if answer.no_answer else "BAD ANSWER"
        fix = NO_ANSWER_FIX if answer.no_answer else SERVER_FIX
        report.add(f"{kind} ({answer.error}) - fix: {fix}", answer.path)
        return False
    if 300 <= answer.status < 400:
        location = answer.headers.get("Location") or ""
        try:
            target = urljoin(urljoin(origin.base, answer.path), location)
            elsewhere = bool(location) and not origin.owns(target)
        except ValueError:
            target, elsewhere = location, True
        if elsewhere:
            report.add(
                f"REDIRECT TO ANOTHER SITE (HTTP {answer.status} to {shown(target)}; not followed) "
                f"- fix: {OFFSITE_FIX}",
                answer.path,
            )
        else:
            report.add(f"REDIRECT (HTTP {answer.status} to {shown(target)}) - fix: {REDIRECT_FIX}", answer.path)
        return False
    if answer.status != 200:
        report.add(f"MISSING (HTTP {answer.status}) - fix: {MISSING_FIX}", answer.path)
        return False
    return True


def check_answer(answer: Answer, origin: Origin, policy: str, report: Report) -> None:
    if not check_answered(answer, origin, report) or answer.headers is None:
        return
    headers = answer.headers
    wanted_type = expected_type(answer.path)
    sent = sent_type(headers)
    if wanted_type and sent != wanted_type:
        fallback = (
            " (a page in place of the file: the host's answer for a missing file?)" if sent == "text/html" else ""
        )
        fix = MISSING_FIX if fallback else TYPE_FIX
        report.add(f"WRONG TYPE: sent as {shown_type(sent)}, must be {wanted_type}{fallback} - fix: {fix}", answer.path)
    for name, value in SECURITY_HEADERS.items():
        wanted = policy if name == "Content-Security-Policy" else value
        got = headers.get(name)
        if got is None:
            report.add(f"HEADER MISSING: {name} (should be: {wanted}) - fix: {HEADER_FIX}", answer.path)
        elif " ".join(got.split()) != wanted:
            report.add(
                f"HEADER DIFFERS: {name} is {shown(got, 200)}, should be {wanted!r} - fix: {HEADER_FIX}", answer.path
            )
    cache = (headers.get("Cache-Control") or "").lower()
    if is_hashed(answer.path):
        age = re.search(r"max-age=(\d{1,12})\b", cache)
        if age is None or int(age.group(1)) < 31_536_000:
            report.add(
                f"CACHE: a content-hashed file should be sent with '{CACHE_FOREVER}' - fix: {CACHE_FIX}", answer.path
            )
    elif "no-cache" not in cache and "no-store" not in cache and not re.search(r"max-age=0\b", cache):
        described = shown(cache, 60) if cache else "no Cache-Control"
        report.add(
            f"CACHE: sent with {described}; browsers may show readers an old copy for days after a redeploy. "
            f"Send 'no-cache' - fix: {CACHE_FIX}",
            answer.path,
        )


def check(base: str, limits: Limits | None = None) -> tuple[Report, int]:
    """Check the site at ``base``; return the problems found and how many files were checked."""
    origin = parse_address(base)
    if origin is None:
        raise ValueError(f"{shown(base)} is not a web address")
    clock = Clock(limits or Limits())
    report = Report()
    home, home_body = fetch(origin, "./", clock, keep_body=True)
    if not check_answered(home, origin, report):
        return report, 1
    text = home_body.decode("utf-8", "replace")
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">', text)
    if meta is None:
        report.add("NO POLICY in the page: this is not a build of this site, or an old one - fix: rebuild", "./")
    policy = (meta.group(1) if meta else SECURITY_HEADERS["Content-Security-Policy"].rsplit(";", 1)[0]) + (
        "; frame-ancestors 'none'"
    )
    worker, worker_body = fetch(origin, "sw.js", clock, keep_body=True)
    answers = [home]
    worker_type = sent_type(worker.headers) if worker.headers is not None else ""
    if worker.status == 200 and worker_type == JAVASCRIPT:
        answers.append(worker)
        paths = own_paths(origin, listed_files(worker_body.decode("utf-8", "replace"), report), "sw.js", report)
    else:
        if worker.headers is None:
            why = worker.error
        elif worker.status == 200:
            why = f"sent as {shown_type(worker_type)}, not JavaScript: the host's answer for a missing file?"
        else:
            why = f"HTTP {worker.status}"
        report.add(
            f"NO SERVICE WORKER ({why}): offline use is off, and readers who had it lose it "
            "(right only if sw.js was removed on purpose, the kill switch) - fix: upload site/sw.js",
            "sw.js",
        )
        _, manifest = fetch(origin, "assets/engine/manifest.json", clock, keep_body=True)
        paths = own_paths(origin, files_without_worker(text, manifest), "the home page", report)
    with ThreadPoolExecutor(max_workers=6) as pool:
        answers += [
            answer for answer, _ in pool.map(lambda path: fetch(origin, path, clock), [p for p in paths if p != "./"])
        ]
    for answer in answers:
        check_answer(answer, origin, policy, report)
    return report, len(answers)


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"check_host: {message}; {USAGE}\n")


def main(argv: list[str] | None = None) -> int:
    parser = _Parser(prog="python -m tools.check_host", description=__doc__.splitlines()[0])
    parser.add_argument("url", help="the deployed site's address, e.g. https://safeguarding.example.gov.uk/")
    parser.add_argument(
        "--time-limit",
        type=float,
        default=Limits().time_s,
        metavar="SECONDS",
        help=f"stop and report after this long (default {Limits().time_s:g})",
    )
    args = parser.parse_args(argv)
    if not 0 < args.time_limit < 86_400:
        parser.error(f"--time-limit must be more than 0 and less than a day, not {args.time_limit:g}")
    if parse_address(args.url) is None:
        parser.error(f"{shown(args.url)} is not a web address (http:// or https:// and a host name)")
    try:
        report, checked = check(args.url, Limits(time_s=args.time_limit))
    except Exception as exc:  # a last guard: one line, never a traceback
        print(f"check_host stopped: {exc.__class__.__name__}: {shown(str(exc), 200)}")
        return 2
    where = shown(args.url) if not args.url.isprintable() else args.url
    for problem, paths in report.problems.items():
        listed = ", ".join(paths[:5]) + (f" and {len(paths) - 5} more" if len(paths) > 5 else "")
        print(f"{problem}\n    on {len(paths)} file(s): {listed}")
    if report.problems:
        print(f"{len(report.problems)} problem(s) found in {checked} file(s) checked at {where}")
        return 1
    print(f"all good: {checked} file(s) checked at {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
