"""Build the whole site: ``python -m build_scripts.build [--generator zensical] [--out DIR]``.

1. validate and compile every protocol (any problem stops the build, with file and line);
2. build the engine wheel and copy the pinned Pyodide core;
3. write the screening pages and the trainers' case-study pages (each case checked);
4. check the Markdown against the site's own rules (absolute links, pages left out of the
   menu), the same for either generator, and check every chapter, shared text and protocol
   and case-study text as parsed HTML, naming each problem at its source's line
   (``authored.py``);
5. run the site generator (MkDocs, or Zensical) in strict mode, so a broken link or anchor
   fails the build;
6. put a Content-Security-Policy on every page and write the service worker, whichever
   generator made the pages;
7. publish: only now, with every step and check passed, is the site marked complete and
   renamed into place (``build_scripts/publish.py``).

A failed build publishes nothing. Every full build is staged in a folder of its own (a
copy of docs/ with the generated files in it, the configuration that names it, and the
site being built), so a failure at any step leaves the previous site exactly as it was,
or no site at all. Without ``--out`` the staging folder is a fresh one under build/
(removed afterwards) and the site is published to site/; with ``--out DIR`` it is DIR, and
the site is published to DIR/site, so the repository is never written to and two builds,
such as a test run beside ``make serve``, never share a file. ``--prepare-only`` writes the
generated files alone (into docs/, or DIR/docs), for running a generator by hand.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from screening.errors import ProtocolError

from . import engine_assets, generators, paths
from .authored import check_authored as check_chapters
from .authored import special_files
from .case_studies import load_cases, write_case_pages
from .engine_assets import BuildError, build_engine_assets
from .host_files import write_host_files
from .offline import write_service_worker
from .paths import (
    DOCS,
    ENGINE_DIR,
    GENERATED,
    INCLUDES,
    ROOT,
    SCREENING_DIR,
    SITE,
    STAGED_MARK,
    STAGING_SITE,
    WORK,
    Layout,
)
from .publish import discard, mark_complete, publish
from .screening_pages import write_pages
from .security import add_content_security_policy
from .site_checks import SourceCheckError, check_sources
from .site_config import read_config, write_staged_config
from .snapshot import add_snapshot


def _generated(folder: str, names: list[str]) -> set[str]:
    """Files an earlier in-place build left in docs/: a staged build writes its own."""
    here = Path(folder).relative_to(DOCS)
    skipped = {name for name in names if here / name in GENERATED}
    if here == SCREENING_DIR:
        skipped |= {name for name in names if name.endswith(".md") and name != "index.md"}
    return skipped


def stage(out: Path, site: str = "site") -> Layout:
    """A folder of its own for one build: a fresh copy of docs/ and a configuration naming it."""
    unsafe = special_files(DOCS, "docs") + special_files(INCLUDES, "includes")
    if unsafe:
        raise SourceCheckError(unsafe)  # before copying: a FIFO or a looping link would hang it
    layout = Layout.staged(out, site)
    layout.config.parent.mkdir(parents=True, exist_ok=True)
    (layout.config.parent / STAGED_MARK).write_text("A staged site build: safe to delete.\n", encoding="utf-8")
    shutil.rmtree(layout.docs, ignore_errors=True)
    shutil.copytree(DOCS, layout.docs, ignore=_generated)
    write_staged_config(layout)
    return layout


def prepare(layout: Layout) -> None:
    """Everything before the site generator: the files it will find in the docs folder."""
    protocols, assets = build_engine_assets(layout.docs)
    add_snapshot(layout.docs / ENGINE_DIR)  # optional: on any failure the engine starts the normal way
    write_pages(protocols, assets, layout.screening_pages)
    write_case_pages(load_cases(protocols), protocols, layout.case_pages)


def build_site(layout: Layout, generator: generators.Generator, site_url: str | None = None) -> None:
    """The site's own checks, the generator, then what the site promises on every page."""
    config = read_config(layout.config)
    check_sources(layout.docs, config)
    check_chapters(layout.docs, config, engine_assets.PROTOCOLS, paths.CASE_STUDIES)  # type: ignore[attr-defined]
    shutil.rmtree(layout.site, ignore_errors=True)  # Zensical does not empty it; no stale file may stay
    if generators.run(generator, layout, site_url) != 0:
        raise BuildError(f"{generator.name} failed (see its messages above)")
    add_content_security_policy(layout.site)
    write_host_files(layout.site)
    write_service_worker(layout.site)
    mark_complete(layout.site, generator.name)  # last: every step and check has passed


def _shown(path: Path) -> str:
    return path.relative_to(ROOT).as_posix() if path.is_relative_to(ROOT) else str(path)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m build_scripts.build", description=__doc__.splitlines()[0])
    parser.add_argument("--prepare-only", action="store_true", help="write the generated files but do not build a site")
    parser.add_argument("--site-url", help="the address the site will be served at (instant navigation needs it)")
    parser.add_argument(
        "--generator",
        choices=sorted(generators.GENERATORS),
        default=generators.DEFAULT.name,
        help=f"the site generator (default {generators.DEFAULT.name})",
    )
    parser.add_argument("--out", type=Path, help="build everything under this folder instead of docs/ and site/")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    generator = generators.GENERATORS[args.generator]
    target = args.out.resolve() / "site" if args.out else SITE
    work = None
    layout = None
    try:
        if args.prepare_only:
            layout = stage(args.out) if args.out else Layout.in_place()
            prepare(layout)
        else:
            # Everything is staged; the published site is replaced only once all has passed.
            if args.out:
                work = args.out
            else:
                WORK.mkdir(exist_ok=True)
                work = Path(tempfile.mkdtemp(prefix="site-build-", dir=WORK))
            layout = stage(work, STAGING_SITE)
            discard(layout.site)
            prepare(layout)
            build_site(layout, generator, args.site_url)
            publish(layout.site, target)
    except ProtocolError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        print(f"build failed: {len(exc.problems)} problem(s) in protocol or case-study files", file=sys.stderr)
        return 1
    except SourceCheckError as exc:
        for source_problem in exc.problems:
            print(source_problem, file=sys.stderr)
        print(
            f"build failed: {len(exc.problems)} problem(s) in the pages, the nav or the authored text", file=sys.stderr
        )
        return 1
    except BuildError as exc:
        print(f"build failed: {exc}", file=sys.stderr)
        return 1
    finally:
        if layout is not None and not args.prepare_only:
            discard(layout.site)
        if work is not None and not args.out:
            shutil.rmtree(work, ignore_errors=True)
    done = _shown(layout.docs) + "/" if args.prepare_only else f"{_shown(target)}/ with {generator.name}"
    print(f"built {done} in {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
