#!/usr/bin/env bash
# The test command: lint (ruff), types (mypy --strict), then the test suite (pytest).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install.sh
.venv/bin/ruff check src tests benchmarks
.venv/bin/mypy
.venv/bin/python -m pytest "$@"
