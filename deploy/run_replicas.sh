#!/usr/bin/env bash
# Start 2 Streamlit replicas + nginx on loopback against $DATABASE_URL; Ctrl-C stops them all.
#   DATABASE_URL=postgresql://postgres@127.0.0.1:5432/genlab GENLAB_INSTRUCTOR_PASSCODE=... deploy/run_replicas.sh
# Options are passed on: --replicas N --port P --data-dir DIR --run-dir DIR (see deploy/replicas.py).
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/python -m deploy.replicas "$@"
