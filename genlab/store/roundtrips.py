"""How many times the app talks to its database, per operation: the unit a classroom is sized in.

Every engine made by :func:`genlab.store.make_engine` counts its **round trips**: each statement
sent, each ``BEGIN``, ``COMMIT`` and ``ROLLBACK``, and each pool pre-ping (``SELECT 1`` before a
pooled PostgreSQL connection is handed out). A block of engine work can be named with
:func:`operation` (``with operation("classroom.submit"): ...``, or the :func:`counted` decorator);
its calls, round trips and wall time add up per name, per process. That is how
``bench/classroom.py`` reports ``db_round_trips_per_answer`` and where a join or a refresh spends
its time.

Counting is an integer increment under the GIL, cheap enough to stay on. With
``GENLAB_DB_STATS_DIR`` set (the benchmark sets it for its replicas), a daemon thread writes
:func:`snapshot` to ``<dir>/<pid>.json`` twice a second, replacing the file atomically.
"""

import functools
import json
import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

from sqlalchemy import Engine, event

P = ParamSpec("P")
R = TypeVar("R")

_lock = threading.Lock()
_total = [0]
_operations: dict[str, list[float]] = {}  # name -> [calls, round trips, seconds]
_local = threading.local()  # .open: the round-trip counters of the operations running in this thread
_exporting: set[str] = set()


def _bump(*_args: Any) -> None:
    _total[0] += 1
    for counter in getattr(_local, "open", ()):
        counter[0] += 1


def install(engine: Engine) -> None:
    """Count this engine's round trips (called once per engine by ``make_engine``)."""
    event.listen(engine, "before_cursor_execute", _bump)
    if engine.dialect.name != "sqlite":  # SQLite is a library call, not a round trip: only statements count there
        event.listen(engine, "begin", _bump)
        event.listen(engine, "commit", _bump)
        event.listen(engine, "rollback", _bump)
    if getattr(engine.pool, "_pre_ping", False):
        event.listen(engine.pool, "checkout", _bump)
    start_export_from_environment()


@contextmanager
def operation(name: str) -> Iterator[None]:
    """Add the round trips and wall time of the block to ``name``'s totals (nested blocks count in both)."""
    counter = [0]
    stack = getattr(_local, "open", None)
    if stack is None:
        stack = _local.open = []
    stack.append(counter)
    started = time.perf_counter()
    try:
        yield
    finally:
        elapsed = time.perf_counter() - started
        stack.remove(counter)
        with _lock:
            totals = _operations.setdefault(name, [0, 0, 0.0])
            totals[0] += 1
            totals[1] += counter[0]
            totals[2] += elapsed


def counted(name: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Decorator form of :func:`operation`."""

    def wrap(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def counted_call(*args: P.args, **kwargs: P.kwargs) -> R:
            with operation(name):
                return function(*args, **kwargs)

        return counted_call

    return wrap


def snapshot() -> dict[str, Any]:
    """``{"round_trips": n, "operations": {name: {"calls", "round_trips", "seconds"}}}`` so far."""
    with _lock:
        operations = {name: {"calls": int(c), "round_trips": int(r), "seconds": round(s, 4)}
                      for name, (c, r, s) in _operations.items()}
    return {"round_trips": _total[0], "operations": operations, "pid": os.getpid()}


def start_export_from_environment(interval_s: float = 0.5) -> None:
    """With ``GENLAB_DB_STATS_DIR`` set, keep :func:`snapshot` in ``<dir>/<pid>.json`` (once per process)."""
    folder = os.environ.get("GENLAB_DB_STATS_DIR", "")
    with _lock:
        if not folder or folder in _exporting:
            return
        _exporting.add(folder)

    def export() -> None:
        target = Path(folder) / f"{os.getpid()}.json"
        while True:
            temporary = target.with_suffix(".tmp")
            temporary.write_text(json.dumps(snapshot()))
            temporary.replace(target)
            time.sleep(interval_s)

    threading.Thread(target=export, name="genlab-db-stats", daemon=True).start()
