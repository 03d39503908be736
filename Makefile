# The two commands of the README. Each does its own set-up on a fresh machine.
# GENERATOR=zensical builds with Zensical instead of MkDocs (the default).
PORT ?= 8000
GENERATOR ?= mkdocs
PY := .venv/bin/python

.PHONY: serve test build lint

## Build the site and serve it on http://127.0.0.1:$(PORT)/
serve: build
	$(PY) -m build_scripts.serve --port $(PORT)

## Build the site into site/ with $(GENERATOR).
build:
	bash build_scripts/setup.sh
	$(PY) -m build_scripts.build --generator $(GENERATOR) --site-url http://127.0.0.1:$(PORT)/

## Run every check and test: lint, types, engine, Pyodide under Node.js, Chromium.
## The site tests run against a build by each generator, made in temporary folders.
test:
	bash build_scripts/setup.sh --with-browser
	$(PY) -m ruff check screening build_scripts tests
	$(PY) -m ruff format --check screening build_scripts tests
	$(PY) -m mypy
	$(PY) -m pytest
