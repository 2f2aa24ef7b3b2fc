#!/usr/bin/env bash
# Install into ./.venv and run the whole suite: ruff, then pytest (unit, AppTest, browser).
# Browser tests drive Debian's /usr/bin/chromium through Playwright (never `playwright install`).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
.venv/bin/python -m ruff check .
# pytest exits 5 when it collects no tests; that is a failure here too.
exec .venv/bin/python -m pytest "$@"
