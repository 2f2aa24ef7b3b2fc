#!/usr/bin/env bash
# Install into ./.venv (first run only) and start the app on the embedded defaults:
# the local image model (no key, no network) and a SQLite file in ./data.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
# ui.serve is `streamlit run app.py` that starts the warm-up (ui/warmup.py) with the server.
exec .venv/bin/python -m ui.serve --server.address "${GENLAB_ADDRESS:-127.0.0.1}" \
    --server.port "${GENLAB_PORT:-8501}" "$@"
