"""Work every visitor needs, done once per server in the background, not by the first visitor.

A fresh server has imported Streamlit and nothing else: the first visitor's script run would import
pandas, altair and onnxruntime, open and migrate the database and load the model before its page
could show anything. :func:`start` does that in one daemon thread instead, as soon as the server
starts (``python -m ui.serve``, which ``scripts/start.sh``, ``deploy/replicas.py`` and the benches
use) or, under a plain ``streamlit run app.py``, as soon as the first script run begins. A visitor
who arrives while it runs waits only for what their page needs and the thread has not finished yet.

Register work with :func:`task` on a function without arguments, in the ``ui`` module that owns
the resource (usually a ``st.cache_resource`` or ``st.cache_data`` function called with the
arguments every visitor's page uses, so the page then finds it cached)::

    @warmup.task("the lesson bank")
    def _warm_lessons() -> None:
        lessons()

The thread imports every ``ui`` module a page imports (read from ``app_pages/*.py``, pages in
navigation order, the sidebar's and the lessons' modules first); after each import it runs the
tasks that import registered, so what the start page needs is ready first. A task that fails
is logged and skipped: the page that needs the work does it itself, as it would without warm-up.
``GENLAB_WARMUP=false`` turns it off (to measure what it saves).
"""

import ast
import importlib
import importlib.util
import logging
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path

PAGES = Path(__file__).resolve().parent.parent / "app_pages"
log = logging.getLogger(__name__)

_tasks: list[tuple[str, Callable[[], object]]] = []
_status: dict[str, str] = {}  # task name -> "12.3 ms" or the error, for benches and tests
_started = threading.Event()
_done = threading.Event()
_lock = threading.Lock()


def task(name: str) -> Callable[[Callable[[], object]], Callable[[], object]]:
    """Register ``function`` to run once in the warm-up thread (the function itself is returned unchanged)."""

    def register(function: Callable[[], object]) -> Callable[[], object]:
        with _lock:
            if all(existing is not function for _, existing in _tasks):
                _tasks.append((name, function))
        return function

    return register


def enabled() -> bool:
    return os.environ.get("GENLAB_WARMUP", "true").strip().lower() not in ("false", "0", "no", "off")


def page_modules() -> list[str]:
    """The ``ui`` modules the pages import, pages in navigation order (the start page first), read with
    ``ast``: nothing is run."""
    from ui.navigation import all_pages

    root = PAGES.parent
    ordered = [root / p.path for p in all_pages()]
    pages = ordered + [p for p in sorted(PAGES.glob("*.py")) if p not in ordered]
    found: list[str] = ["ui.state", "ui.lesson"]  # every page's sidebar and content: first
    for page in pages:
        for node in ast.walk(ast.parse(page.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "ui":
                names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                names = [a.name for a in node.names if a.name.split(".")[0] == "ui"]
            found += [name for name in names if name not in found and _is_module(name)]
    return found


def _is_module(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:  # ``from ui.state import settings``: a function, not a module
        return False


def _run() -> None:
    started = time.perf_counter()
    done = 0
    try:
        for module in page_modules():
            _timed(f"import {module}", lambda module=module: importlib.import_module(module))
            while True:  # the tasks this import registered, before the next page's imports
                with _lock:
                    if done >= len(_tasks):
                        break
                    name, function = _tasks[done]
                done += 1
                _timed(name, function)
    finally:
        _status["total"] = f"{(time.perf_counter() - started) * 1000:.1f} ms"
        log.info("Warm-up done: %s", _status)
        _done.set()


def _timed(name: str, function: Callable[[], object]) -> None:
    began = time.perf_counter()
    try:
        function()
    except Exception as exc:  # the page does this work itself when it needs it
        _status[name] = f"failed: {type(exc).__name__}"
        log.warning("Warm-up of %s failed (%s); the first page that needs it will do it.", name,
                    type(exc).__name__)
        return
    _status[name] = f"{(time.perf_counter() - began) * 1000:.1f} ms"


def start() -> bool:
    """Start the warm-up thread, once per process; True if this call started it."""
    if not enabled():
        return False
    with _lock:
        if _started.is_set():
            return False
        _started.set()
    threading.Thread(target=_run, name="genlab-warmup", daemon=True).start()
    return True


def wait(timeout_s: float | None = None) -> bool:
    """Block until the warm-up has finished (tests and benches); True if it has."""
    return _done.wait(timeout_s)


def status() -> dict[str, str]:
    """What the warm-up did: each step's time, or why it failed."""
    return dict(_status)
