#!/usr/bin/env bash
# Create .venv with the pinned dependencies (requirements.lock: runtime and test tools,
# every transitive package pinned) and stopship itself.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3.11}
command -v "$PY" >/dev/null 2>&1 || PY=python3
lock=requirements.lock
# setup.py builds the compiled kernel (src/stopship/match/_kernel.c, needs a C compiler and
# the Python headers; without them stopship runs its slower pure-Python code): a changed
# kernel source reinstalls, which rebuilds it
stamp=".venv/.installed-$(sha256sum "$lock" pyproject.toml setup.py src/stopship/match/_kernel.c | sha256sum | cut -c1-16)"
if [ -f "$stamp" ]; then exit 0; fi
# PyICU compiles against the system ICU: make sure its headers and pkg-config are there.
if ! pkg-config --exists icu-i18n 2>/dev/null; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    apt-get update -qq && apt-get install -y -qq libicu-dev pkg-config >/dev/null
  else
    echo "PyICU needs the ICU development files: install libicu-dev and pkg-config" >&2
    exit 1
  fi
fi
[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -r "$lock"
.venv/bin/python -m pip install -q --no-deps -e .
rm -f .venv/.installed-*
touch "$stamp"
