#!/usr/bin/env bash
# Installs what the site build and the tests need, once: a virtual environment with the
# pinned Python packages, the pinned npm packages (Pyodide, axe-core) and, for the tests,
# Debian's Chromium and nginx (the deploy tests serve the site with deploy/nginx.conf). Re-running it is quick: each step is skipped when already done.
set -euo pipefail
cd "$(dirname "$0")/.."

want_browser=no
[ "${1:-}" = "--with-browser" ] && want_browser=yes

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv"
  python3 -m venv .venv
fi
stamp=.venv/.requirements.sha256
wanted=$(sha256sum requirements-dev.txt | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$wanted" ]; then
  echo "setup: installing Python packages"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
  echo "$wanted" > "$stamp"
fi

npm_stamp=node_modules/.package-lock.sha256
npm_wanted=$(sha256sum package-lock.json | cut -d' ' -f1)
if [ "$(cat "$npm_stamp" 2>/dev/null || true)" != "$npm_wanted" ]; then
  echo "setup: installing npm packages"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$npm_wanted" > "$npm_stamp"
fi

if [ "$want_browser" = yes ] && [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian's chromium"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup: the browser tests need Chromium at /usr/bin/chromium (Debian: sudo apt-get install chromium)," >&2
    echo "       or set CHROMIUM to its path." >&2
    exit 1
  fi
fi

if [ "$want_browser" = yes ] && [ ! -x "${NGINX:-/usr/sbin/nginx}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian's nginx (the deploy tests run their own copy of it on free ports)"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
  else
    echo "setup: the deploy tests need Debian's nginx at /usr/sbin/nginx (sudo apt-get install nginx)." >&2
    exit 1
  fi
fi
