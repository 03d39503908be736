"""Where the build reads from and writes to, relative to the repository."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PROTOCOLS = ROOT / "protocols"
# Each protocol's table of cases and expected outcomes: the snapshot and the trimmed
# library are checked against them before they are published, and the tests run them.
CASE_TABLES = PROTOCOLS / "cases"
SITE = ROOT / "site"
CONFIG = ROOT / "mkdocs.yml"
INCLUDES = ROOT / "includes"
# Where a build in place (``--prepare-only`` without ``--out``) renders the shared text;
# mkdocs.yml looks here first, then in includes/.
RENDERED_INCLUDES = ROOT / "build" / "includes"
TEMPLATES = Path(__file__).resolve().parent / "templates"
NODE_PYODIDE = ROOT / "node_modules" / "pyodide"

# Written by the build into a docs folder (the repository's own is ignored by git).
ENGINE_DIR = Path("assets") / "engine"
PYODIDE_DIR = Path("assets") / "pyodide"
SCREENING_DIR = Path("screening")
CASE_DIR = Path("trainers") / "cases"
ENGINE_OUT = DOCS / ENGINE_DIR
PYODIDE_OUT = DOCS / PYODIDE_DIR
SCREENING_PAGES = DOCS / SCREENING_DIR

# The Pyodide core: everything loadPyodide fetches. All must come from one package version.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")

# Trainers' case studies: data in case-studies/, pages written into docs/trainers/cases/.
CASE_STUDIES = ROOT / "case-studies"
CASE_PAGES = DOCS / CASE_DIR


@dataclass(frozen=True)
class Layout:
    """The three places one build uses: the docs folder the generator reads, the site it
    writes, and the configuration file that names them.

    ``in_place`` is the repository itself (docs/, site/, mkdocs.yml), as ``make build`` has
    always done it; ``staged`` keeps everything under one folder, so a build never touches
    the repository and two builds never share a file.
    """

    docs: Path
    site: Path
    config: Path
    # The shared text rendered with the partnership's settings, which the pages draw in.
    includes: Path = ROOT / "build" / "includes"  # an in-place build's (RENDERED_INCLUDES)

    @classmethod
    def in_place(cls) -> Layout:
        return cls(docs=DOCS, site=SITE, config=CONFIG, includes=RENDERED_INCLUDES)

    @classmethod
    def staged(cls, out: Path, site: str = "site") -> Layout:
        out = out.resolve()
        return cls(docs=out / "docs", site=out / site, config=out / "mkdocs.yml", includes=out / "includes")

    @property
    def is_repository(self) -> bool:
        return self.docs == DOCS

    @property
    def screening_pages(self) -> Path:
        return self.docs / SCREENING_DIR

    @property
    def case_pages(self) -> Path:
        return self.docs / CASE_DIR


# Left in a staged build folder, so that copying the repository's sources skips it.
STAGED_MARK = ".staged-build"
# A full build writes its site here (beside the published one, so it can be renamed into
# place) and renames it to site/ only once every step and check has passed.
STAGING_SITE = ".site-staging"
# Written into the site last, once every check has passed; the development server serves
# no folder without it. A site/ the build did not finish never has it.
COMPLETE_MARK = ".build-complete"
# Where a build without --out stages its copy of docs/ and its site (git ignores build/).
WORK = ROOT / "build"

# What the build writes into a docs folder; never copied from the repository's docs/ into
# a staged one (a stale page of a removed protocol would otherwise reappear there).
GENERATED = (ENGINE_DIR, PYODIDE_DIR, CASE_DIR)
