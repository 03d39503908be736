"""The two site generators the build can run, and where their output differs.

MkDocs with Material for MkDocs is the default. Zensical, Material's successor, reads
the same mkdocs.yml. Everything else the site needs is done by build_scripts before and
after the generator, so switching is one word: ``make build GENERATOR=zensical``.

Step 5 of the build. Reads the staged docs and mkdocs.yml; writes the site.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass

from .paths import Layout


@dataclass(frozen=True)
class Generator:
    name: str
    module: str
    # The search index each writes, relative to the site root.
    search_index: str

    def command(self, layout: Layout) -> list[str]:
        command = [sys.executable, "-m", self.module, "build", "--strict", "--config-file", str(layout.config)]
        if self.name == "mkdocs":
            command += ["--site-dir", str(layout.site)]
        # Zensical has no --site-dir: it writes to the file's site_dir (site/ beside it).
        return command


MKDOCS = Generator(name="mkdocs", module="mkdocs", search_index="search/search_index.json")
ZENSICAL = Generator(name="zensical", module="zensical", search_index="search.json")
GENERATORS = {g.name: g for g in (MKDOCS, ZENSICAL)}
DEFAULT = MKDOCS


def run(generator: Generator, layout: Layout, site_url: str | None) -> int:
    """Run the generator in strict mode (a broken link or anchor fails the build); its exit status."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "NO_COLOR": "1"}
    if site_url:
        env["CSE_SITE_URL"] = site_url
    return subprocess.run(generator.command(layout), cwd=layout.config.parent, env=env, check=False).returncode
