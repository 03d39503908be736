# The two commands of the README. Each does its own set-up on a fresh machine.
PORT ?= 8000
PY := .venv/bin/python

.PHONY: serve test build lint

## Build the site and serve it on http://127.0.0.1:$(PORT)/
serve: build
	$(PY) -m build_scripts.serve --port $(PORT)

build:
	bash build_scripts/setup.sh
	$(PY) -m build_scripts.build --site-url http://127.0.0.1:$(PORT)/

## Run every check and test: lint, types, engine, Pyodide under Node.js, Chromium.
test:
	bash build_scripts/setup.sh --with-browser
	$(PY) -m ruff check screening build_scripts tests
	$(PY) -m ruff format --check screening build_scripts tests
	$(PY) -m mypy
	$(PY) -m pytest
