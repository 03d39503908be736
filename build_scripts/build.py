"""Build the whole site: ``python -m build_scripts.build [--generator zensical] [--out DIR]
[--settings FILE] [--for-publication]``.

0. read the partnership's settings (``partnership.yml``, or ``--settings FILE``; any
   problem stops the build as ``partnership.yml:LINE: message``) and make the staged copy
   its own: the tools and local chapters it does not publish taken out with every link
   to them, the shared text rendered with its contacts, name and exit destination, each
   chapter's review dates written from its front matter (``customise.py``, ``reviews.py``);
1. validate every protocol and compile the published ones (any problem stops the build,
   with file and line);
2. build the engine wheel, copy the pinned Pyodide core with only the standard library
   modules the engine uses (``stdlib_trim.py``, verified on every case table), and make the
   start-up snapshot;
3. write the screening pages and the trainers' case-study pages (each case checked);
4. check the Markdown against the site's own rules (absolute links, pages left out of the
   menu), the same for either generator, and check every chapter, shared text and protocol
   and case-study text as parsed HTML, naming each problem at its source's line
   (``authored.py``);
5. run the site generator (MkDocs, or Zensical) in strict mode, so a broken link or anchor
   fails the build;
6. put a Content-Security-Policy on every page and write the service worker, whichever
   generator made the pages, then a Brotli and a gzip copy beside each large file
   (``precompress.py``);
7. publish: only now, with every step and check passed, is the site marked complete and
   renamed into place (``build_scripts/publish.py``).

Before the generator runs, the build prints one line for each contact still shown as a
placeholder, each chapter overdue for review and a snapshot that could not be made;
``--for-publication`` fails on any of them, and on a site without an https address.

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
import os
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from screening.errors import ProtocolError

from . import engine_assets, generators, paths
from .authored import check_authored as check_chapters
from .authored import special_files
from .case_studies import load_cases, write_case_pages
from .customise import contact_sections, customise_config, dropped_pages, mark_pages, render_includes, trim_docs
from .engine_assets import build_engine_assets
from .errors import EXIT_FAILED, BuildError, SourceCheckError, failure_lines
from .host_files import write_host_files
from .offline import write_service_worker
from .partnership import SETTINGS, Partnership, protocol_ids, read_partnership
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
from .precompress import precompress
from .publish import discard, mark_complete, publish
from .reviews import Review, chapter_reviews, overdue, today
from .screening_pages import write_pages
from .security import add_content_security_policy
from .site_checks import check_sources
from .site_config import read_config, write_staged_config
from .snapshot import SETTING as SNAPSHOT_SETTING
from .snapshot import Snapshot, add_snapshot
from .stdlib_trim import trim_stdlib
from .theme_markup import repair_theme_markup


def _generated(folder: str, names: list[str]) -> set[str]:
    """Files an earlier in-place build left in docs/: a staged build writes its own."""
    here = Path(folder).relative_to(DOCS)
    skipped = {name for name in names if here / name in GENERATED}
    if here == SCREENING_DIR:
        skipped |= {name for name in names if name.endswith(".md") and name != "index.md"}
    return skipped


@dataclass
class Staged:
    """One build's folders, and what the partnership's settings made of them."""

    layout: Layout
    partnership: Partnership
    reviews: list[Review]
    contact_groups: set[str]
    snapshot: Snapshot | None = None


def _make_own(layout: Layout, partnership: Partnership, trim: bool) -> Staged:
    """The partnership's pages: tools and chapters it does not publish taken out (``trim``),
    review blocks and shared text rendered with its settings."""
    if trim:
        dropped = dropped_pages(layout.docs, partnership, protocol_ids())
        trim_docs(layout.docs, dropped)
    reviews, problems = chapter_reviews(layout.docs, partnership.review_cycle_months)
    if problems:
        raise SourceCheckError(problems)
    render_includes(partnership, layout.includes, reviews)
    if trim:
        write_staged_config(layout, customise=lambda c: customise_config(c, partnership, dropped, layout.docs))
    groups = {section.replace("-", "_") for section in contact_sections(layout.docs)}
    return Staged(layout, partnership, reviews, groups)


def stage(out: Path, partnership: Partnership | None = None, site: str = "site") -> Staged:
    """A folder of its own for one build: a fresh copy of docs/ and a configuration naming it,
    made the partnership's own (its settings read from partnership.yml when not given)."""
    partnership = partnership or read_partnership()
    unsafe = special_files(DOCS, "docs") + special_files(INCLUDES, "includes")
    if unsafe:
        raise SourceCheckError(unsafe)  # before copying: a FIFO or a looping link would hang it
    layout = Layout.staged(out, site)
    layout.config.parent.mkdir(parents=True, exist_ok=True)
    (layout.config.parent / STAGED_MARK).write_text("A staged site build: safe to delete.\n", encoding="utf-8")
    shutil.rmtree(layout.docs, ignore_errors=True)
    shutil.copytree(DOCS, layout.docs, ignore=_generated)
    return _make_own(layout, partnership, trim=True)


def prepare(staged: Staged) -> None:
    """Everything before the site generator: the files it will find in the docs folder."""
    layout, partnership = staged.layout, staged.partnership
    protocols, assets = build_engine_assets(layout.docs, partnership.screening_tools)
    # Before the snapshot, which must hold the library the reader's browser loads.
    print(trim_stdlib(layout.docs))
    # Optional for a local build: on any failure the engine starts the normal way.
    staged.snapshot = add_snapshot(layout.docs / ENGINE_DIR)
    write_pages(protocols, assets, layout.screening_pages)
    unpublished = frozenset(protocol_ids()) - set(partnership.screening_tools)
    cases = load_cases(protocols, unpublished=unpublished)
    write_case_pages(cases, protocols, layout.case_pages, layout.docs)


def still_to_do(staged: Staged, site_url: str | None, for_publication: bool = False) -> list[str]:
    """What stops publication: placeholders still shown, overdue reviews, no snapshot, and
    (``for_publication``, as a local build is served over http) no https address."""
    partnership = staged.partnership
    lines = partnership.placeholders(staged.contact_groups)
    if for_publication and not (site_url or "").startswith("https://"):
        where = f"{partnership.display}:{partnership.line('site_url')}"
        lines.append(f"{where}: the site's address must be https for publication, not {site_url!r}")
    lines += overdue(staged.reviews, today())
    if staged.snapshot is None and os.environ.get(SNAPSHOT_SETTING, "").strip().lower() != "off":
        lines.append("the start-up snapshot could not be made (see the 'snapshot:' line above)")
    return lines


def build_site(
    layout: Layout, generator: generators.Generator, site_url: str | None = None, partnership: Partnership | None = None
) -> None:
    """The site's own checks, the generator, then what the site promises on every page."""
    config = read_config(layout.config)
    check_sources(layout.docs, config)
    check_chapters(layout.docs, config, engine_assets.PROTOCOLS, paths.CASE_STUDIES)  # type: ignore[attr-defined]
    shutil.rmtree(layout.site, ignore_errors=True)  # Zensical does not empty it; no stale file may stay
    if generators.run(generator, layout, site_url) != 0:
        raise BuildError(f"{generator.name} failed (see its messages above)")
    if partnership is not None:
        mark_pages(layout.site, partnership)
    repair_theme_markup(layout.site)
    add_content_security_policy(layout.site)
    write_host_files(layout.site)
    write_service_worker(layout.site)
    print(precompress(layout.site))  # after sw.js: the copies are never in its lists
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
    parser.add_argument(
        "--settings", type=Path, default=SETTINGS, help="the partnership's settings (default partnership.yml)"
    )
    parser.add_argument(
        "--for-publication",
        action="store_true",
        help="fail on placeholders still shown, overdue reviews, a snapshot that cannot be made and no https address",
    )
    args = parser.parse_args(argv)
    started = time.perf_counter()
    generator = generators.GENERATORS[args.generator]
    target = args.out.resolve() / "site" if args.out else SITE
    work = None
    layout = None
    try:
        partnership = read_partnership(args.settings.resolve())
        site_url = args.site_url or partnership.site_url
        if args.for_publication and not site_url:
            raise BuildError(f"{partnership.display}:{partnership.line('site_url')}: give site_url, the site's address")
        if args.prepare_only:
            # In place, the pages are docs/ as they are (a hand-run generator reads mkdocs.yml).
            own = _make_own(Layout.in_place(), partnership, trim=False) if args.out is None else None
            staged = own or stage(args.out, partnership)
            layout = staged.layout
            prepare(staged)
        else:
            # Everything is staged; the published site is replaced only once all has passed.
            if args.out:
                work = args.out
            else:
                WORK.mkdir(exist_ok=True)
                work = Path(tempfile.mkdtemp(prefix="site-build-", dir=WORK))
            staged = stage(work, partnership, STAGING_SITE)
            layout = staged.layout
            discard(layout.site)
            prepare(staged)
            missing = still_to_do(staged, site_url, args.for_publication)
            for line in missing:
                print(line)
            if missing and args.for_publication:
                raise BuildError(f"not ready for publication: {len(missing)} thing(s) to do, listed above")
            build_site(layout, generator, site_url, partnership)
            publish(layout.site, target)
    except (BuildError, ProtocolError) as exc:
        for line in failure_lines(exc):
            print(line, file=sys.stderr)
        return EXIT_FAILED
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
