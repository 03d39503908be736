# The two commands of the README. Each does its own set-up on a fresh machine.
# GENERATOR=zensical builds with Zensical instead of MkDocs (the default).
PORT ?= 8000
GENERATOR ?= mkdocs
PY := .venv/bin/python
NPM := npm --silent --no-update-notifier

.PHONY: serve test check build lint lint-python lint-js test-js test-fast test-engine test-content-build-tools

## Build the site and serve it on http://127.0.0.1:$(PORT)/
serve: build
	$(PY) -m tools.serve --port $(PORT)

## Build the site into site/ with $(GENERATOR).
build:
	bash tools/setup.sh
	$(PY) -m build_scripts.build --generator $(GENERATOR) --site-url http://127.0.0.1:$(PORT)/

## Check the Python (ruff, its formatting, mypy) and the browser code (ESLint, Prettier, tsc).
lint:
	bash tools/setup.sh
	$(MAKE) --no-print-directory lint-python lint-js

lint-python:
	$(PY) -m ruff check screening screening_cli build_scripts tools tests
	$(PY) -m ruff format --check screening screening_cli build_scripts tools tests
	$(PY) -m mypy

lint-js:
	$(NPM) run lint
	$(NPM) run format:check
	$(NPM) run typecheck

## The browser code's unit tests (Node's test runner): its summary, or all its output on a failure.
test-js:
	@log=$$(node --test --test-reporter=spec tests/js/ 2>&1); status=$$?; \
	  if [ $$status -ne 0 ]; then printf '%s\n' "$$log"; fi; \
	  printf '%s\n' "$$log" | grep -E '^. (tests|pass|fail) [0-9]+' | tr -s ' \n' ' ' | sed 's/^/node --test: /'; echo; \
	  exit $$status

## The fast loop, after set-up (make serve or make test once): lint, types, the browser code's
## unit tests and the fast tiers of tests/ (no browser, nginx or Pyodide), two jobs at a time.
check:
	@$(MAKE) --no-print-directory -j2 --output-sync=target lint-python lint-js test-js test-fast

## The fast tiers of tests/, what a bare pytest runs (tests/conftest.py), in two runs that
## make can do side by side: the engine's, and the others'.
test-fast: test-engine test-content-build-tools

test-engine:
	$(PY) -m pytest -q --durations=3 tests/engine

test-content-build-tools:
	$(PY) -m pytest -q --durations=3 tests/content tests/build tests/tools

## Run every check and test: lint, types, engine, browser code, Pyodide under Node.js, Chromium,
## nginx: every tier of tests/. The site tests run against a build by each generator, made in
## temporary folders.
test:
	bash tools/setup.sh --with-browser
	$(MAKE) --no-print-directory lint-python lint-js test-js
	$(PY) -m pytest tests
