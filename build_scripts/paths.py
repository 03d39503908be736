"""Where the build reads from and writes to, relative to the repository."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
PROTOCOLS = ROOT / "protocols"
SITE = ROOT / "site"
TEMPLATES = Path(__file__).resolve().parent / "templates"
NODE_PYODIDE = ROOT / "node_modules" / "pyodide"

# Written by the build into docs/ (and ignored by git).
ENGINE_OUT = DOCS / "assets" / "engine"
PYODIDE_OUT = DOCS / "assets" / "pyodide"
SCREENING_PAGES = DOCS / "screening"

# The Pyodide core: everything loadPyodide fetches. All must come from one package version.
PYODIDE_FILES = ("pyodide.mjs", "pyodide.asm.mjs", "pyodide.asm.wasm", "python_stdlib.zip", "pyodide-lock.json")

# Trainers' case studies: data in case-studies/, pages written into docs/trainers/cases/.
CASE_STUDIES = ROOT / "case-studies"
CASE_PAGES = DOCS / "trainers" / "cases"
