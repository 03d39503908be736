#!/usr/bin/env bash
# Installs what the site build and the tests need, once: a virtual environment with the
# pinned Python packages, the pinned npm packages (Pyodide; the browser code's checks; axe-core
# and the Nu HTML checker) and, for the tests, Debian's Chromium, Java and nginx (the deploy tests serve the site with deploy/nginx.conf). Re-running it is quick: each step is skipped when already done.
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

# need_debian_package NAME PATH NOTE MESSAGE...: when the program at PATH is missing, install
# Debian's package NAME as root (saying so, with NOTE); otherwise print MESSAGE (why the
# tests cannot run) and exit 1.
need_debian_package() {
  local name=$1 path=$2 note=$3
  shift 3
  [ -x "$path" ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing Debian's $name$note"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$name" >/dev/null
  else
    printf '%s\n' "$@" >&2
    exit 1
  fi
}

if [ "$want_browser" = yes ]; then
  need_debian_package chromium "${CHROMIUM:-/usr/bin/chromium}" "" \
    "setup: the browser tests need Chromium at /usr/bin/chromium (Debian: sudo apt-get install chromium)," \
    "       or set CHROMIUM to its path."
  need_debian_package default-jre-headless "${JAVA:-/usr/bin/java}" " (the Nu HTML checker, npm's vnu-jar, runs on it)" \
    "setup: the markup test needs Java at /usr/bin/java for the Nu HTML checker (sudo apt-get install default-jre-headless)."
  need_debian_package nginx "${NGINX:-/usr/sbin/nginx}" " (the deploy tests run their own copy of it on free ports)" \
    "setup: the deploy tests need Debian's nginx at /usr/sbin/nginx (sudo apt-get install nginx)."
fi
