"""Build the whole site into site/: ``python -m build_scripts.build``.

1. validate and compile every protocol (any problem stops the build, with file and line);
2. build the engine wheel and copy the pinned Pyodide core;
3. write the screening pages and the trainers' case-study pages (each case checked);
4. run the site generator in strict mode, so a broken link or anchor fails the build;
5. put a Content-Security-Policy on every page and write the service worker.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time

from screening.errors import ProtocolError

from .case_studies import load_cases, write_case_pages
from .engine_assets import BuildError, build_engine_assets
from .offline import write_service_worker
from .paths import ROOT, SITE
from .screening_pages import write_pages
from .security import add_content_security_policy
from .snapshot import add_snapshot


def prepare() -> None:
    """Everything before the site generator: the files it will find in docs/."""
    protocols, assets = build_engine_assets()
    add_snapshot()  # optional: on any failure the site starts the engine the normal way
    write_pages(protocols, assets)
    write_case_pages(load_cases(protocols), protocols)


def build_site(site_url: str | None = None) -> None:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    if site_url:
        env["CSE_SITE_URL"] = site_url
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(SITE)], cwd=ROOT, env=env, check=False
    )
    if result.returncode != 0:
        raise BuildError("the site generator failed (see its messages above)")
    add_content_security_policy(SITE)
    write_service_worker(SITE)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_scripts.build", description=__doc__.splitlines()[0])
    parser.add_argument("--prepare-only", action="store_true", help="write docs/ files but do not build site/")
    parser.add_argument("--site-url", help="the address the site will be served at (instant navigation needs it)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        prepare()
        if not args.prepare_only:
            build_site(args.site_url)
    except ProtocolError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"build failed: {len(exc.problems)} problem(s) in protocol or case-study files", file=sys.stderr)
        return 1
    except BuildError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    print(f"built {SITE.relative_to(ROOT)}/ in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
