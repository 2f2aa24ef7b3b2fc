"""Loaded only when bench/memprobe is on PYTHONPATH (``bench.startup --probe``): trace Python allocations.

On SIGUSR1 the server writes a tracemalloc snapshot to ``$GENLAB_MEMPROBE_DIR/<n>.snap``; the
bench compares two of them (one session, then many) by source line, to say what a session holds.
"""

import os
import signal
import tracemalloc

if os.environ.get("GENLAB_MEMPROBE_DIR"):
    tracemalloc.start(8)
    _count = [0]

    def _dump(_signum, _frame) -> None:
        _count[0] += 1
        tracemalloc.take_snapshot().dump(os.path.join(os.environ["GENLAB_MEMPROBE_DIR"], f"{_count[0]}.snap"))

    signal.signal(signal.SIGUSR1, _dump)
