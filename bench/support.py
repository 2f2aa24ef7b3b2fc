"""What the benches and the browser tests share: the app on a loopback port, and Debian's Chromium.

Kept here, outside ``tests/``, because a bench runs without pytest; ``tests/support/browser.py``
re-exports it for the browser tests.
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("GENLAB_CHROMIUM", "/usr/bin/chromium")
#: Chromium flags for a closed network: no background requests, no sandbox (root in CI), no GPU.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]
#: Left out of the app's environment: a bench or a test never spends real keys or touches a real database.
PRIVATE_PREFIXES = ("AZURE_OPENAI_", "OPENAI_", "DATABASE_URL")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60.0) -> float:
    """Seconds until ``/_stcore/health`` answers ok; fails fast if the server died."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                if r.read().strip() == b"ok":
                    return time.perf_counter() - started
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(f"{url} did not become healthy in {timeout} s")


def start_app(data_dir: Path, port: int, env: dict[str, str] | None = None) -> subprocess.Popen:
    """``streamlit run app.py`` (as ``python -m ui.serve``: warmed up at start) on 127.0.0.1:``port``, without
    this shell's cloud keys or DATABASE_URL."""
    environment = {k: v for k, v in os.environ.items() if not k.startswith(PRIVATE_PREFIXES)}
    environment |= {"GENLAB_DATA_DIR": str(data_dir), "PYTHONUNBUFFERED": "1"} | (env or {})
    return subprocess.Popen(
        [sys.executable, "-m", "ui.serve", "--server.port", str(port),  # streamlit run app.py + warm-up
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)


def stop_app(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


@dataclass(frozen=True)
class RunningApp:
    url: str
    process: subprocess.Popen
    health_s: float  # from launching `streamlit run` to /_stcore/health answering ok


@contextmanager
def running_app(data_dir: Path, env: dict[str, str] | None = None) -> Iterator[RunningApp]:
    """`streamlit run` on a free loopback port, healthy, stopped on exit."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = start_app(data_dir, port, env)
    try:
        wait_healthy(url, process)
        yield RunningApp(url, process, time.perf_counter() - started)
    finally:
        stop_app(process)
