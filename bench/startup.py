"""Start-up and memory of the app; prints one JSON object.

    python -m bench.startup                       # as shipped
    python -m bench.startup --variant gc=STREAMLIT_RUNNER_POST_SCRIPT_GC=true --variant shipped=

health_s: from `streamlit run` to /_stcore/health answering ok; the first visitor comes
``--first-visit-after`` seconds later (2 by default).
first_heading_s: from a browser opening the diffusion lesson to its heading being visible (first
visit of a fresh server, so it includes loading the model and the first script run).
settled_s: the same first visit until the page has settled (Streamlit's script state is
"notRunning" and no element is still marked as running).
rss_idle_mib: the server's resident memory before any visitor; rss_one_session_mib: after the
first visitor settled (the model and the caches are loaded once per server).
rss_per_session_mib: (RSS with N sessions - RSS with one) / (N - 1), for N = each of ``--sessions``
(20 and 60), every session a browser context on the diffusion lesson (the heaviest page), settled,
then 2 s for the server to let go of what a run no longer needs.

Each ``--variant NAME=ENV=VALUE[,ENV=VALUE]`` starts its own fresh server with those environment
variables (e.g. a Streamlit option as ``STREAMLIT_RUNNER_POST_SCRIPT_GC=true``), one after the
other in the same run, so a feature's memory shows as a pair measured minutes apart on the same box.
"""

import argparse
import json
import os
import signal
import tempfile
import time
import tracemalloc
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

from bench.machine import describe
from bench.support import CHROMIUM, CHROMIUM_ARGS, running_app

PAGE = "diffusion"
#: The page has settled: the script is not running and no element is left marked as running/stale.
SETTLED = ("() => { const app = document.querySelector('[data-testid=\"stApp\"]');"
           " return !!app && app.dataset.testScriptState === 'notRunning'"
           " && !document.querySelector('[data-stale=\"true\"], [data-testid=\"stSpinner\"],"
           " [data-testid=\"stSkeleton\"]'); }")


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def wait_settled(page: Page, timeout_s: float = 180) -> None:
    page.locator('[data-testid="stApp"]').wait_for(timeout=timeout_s * 1000)
    page.wait_for_function(SETTLED, timeout=timeout_s * 1000, polling=100)


PROBE = Path(__file__).resolve().parent / "memprobe"


def probe_snapshot(pid: int, folder: Path, n: int) -> tracemalloc.Snapshot:
    """Ask the server (started with bench/memprobe) for its ``n``-th tracemalloc snapshot."""
    os.kill(pid, signal.SIGUSR1)
    target = folder / f"{n}.snap"
    for _ in range(600):
        time.sleep(0.5)
        if target.exists():
            time.sleep(1.0)  # let the dump finish
            return tracemalloc.Snapshot.load(str(target))
    raise TimeoutError("the server wrote no tracemalloc snapshot")


def grown(after: tracemalloc.Snapshot, before: tracemalloc.Snapshot, sessions: int, top: int = 15) -> list[str]:
    """What Python allocated between two snapshots, per source line, in KiB per added session."""
    lines = []
    for stat in after.compare_to(before, "lineno")[:top]:
        frame = stat.traceback[0]
        where = f"{Path(frame.filename).parent.name}/{Path(frame.filename).name}:{frame.lineno}"
        lines.append(f"{stat.size_diff / 1024 / sessions:8.1f} KiB/session  {where}")
    return lines


def measure(env: dict[str, str], sessions: list[int], probe: bool = False, first_visit_after_s: float = 2.0) -> dict:
    probe_dir = Path(tempfile.mkdtemp(prefix="genlab-memprobe-")) if probe else None
    if probe_dir is not None:
        env = env | {"PYTHONPATH": str(PROBE), "GENLAB_MEMPROBE_DIR": str(probe_dir)}
    with tempfile.TemporaryDirectory() as data, running_app(Path(data), env) as app:
        url, process, health_s = app.url, app.process, app.health_s
        time.sleep(first_visit_after_s)
        idle = rss_mib(process.pid)
        report: dict = {"health_s": round(health_s, 3), "rss_idle_mib": round(idle, 1)}
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            t0 = time.perf_counter()
            page.goto(f"{url}/{PAGE}")
            page.locator("h1").first.wait_for(state="visible", timeout=60_000)
            report["first_heading_s"] = round(time.perf_counter() - t0, 3)
            wait_settled(page)
            report["settled_s"] = round(time.perf_counter() - t0, 3)
            time.sleep(2)
            one = rss_mib(process.pid)
            report["rss_one_session_mib"] = round(one, 1)
            snapshots = [probe_snapshot(process.pid, probe_dir, 1)] if probe_dir else []
            pages = [page]
            for target in sorted(sessions):
                while len(pages) < target:
                    extra = browser.new_context().new_page()
                    extra.goto(f"{url}/{PAGE}")
                    pages.append(extra)
                for extra in pages:
                    wait_settled(extra)
                time.sleep(2)
                busy = rss_mib(process.pid)
                report[f"rss_{target}_sessions_mib"] = round(busy, 1)
                report[f"rss_per_session_mib_{target}"] = round((busy - one) / (target - 1), 2)
                if probe_dir:
                    snapshots.append(probe_snapshot(process.pid, probe_dir, len(snapshots) + 1))
                    report[f"python_heap_growth_{target}"] = grown(snapshots[-1], snapshots[0], target - 1)
                    traced = sum(s.size for s in snapshots[-1].statistics("filename"))
                    before = sum(s.size for s in snapshots[0].statistics("filename"))
                    report[f"python_heap_per_session_mib_{target}"] = round((traced - before) / 2**20 / (target - 1), 2)
            browser.close()
    report["rss_per_session_mib"] = report.get(f"rss_per_session_mib_{min(sessions)}")
    return report


def parse_variant(text: str) -> tuple[str, dict[str, str]]:
    name, _, assignments = text.partition("=")
    env = dict(a.split("=", 1) for a in assignments.split(",") if a)
    return name or "shipped", env


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, nargs="+", default=[20, 60])
    parser.add_argument("--first-visit-after", type=float, default=2.0,
                        help="seconds between the server answering /_stcore/health and the first visitor")
    parser.add_argument("--probe", action="store_true",
                        help="trace the server's Python allocations and report what grew per session (slower)")
    parser.add_argument("--variant", action="append", default=[],
                        help="NAME=ENV=VALUE[,ENV=VALUE]: a fresh server with these variables (repeatable)")
    args = parser.parse_args(argv)
    variants = [parse_variant(v) for v in args.variant] or [("shipped", {})]
    results = {name: measure(env, args.sessions, args.probe, args.first_visit_after) for name, env in variants}
    report = results["shipped"] if list(results) == ["shipped"] else {"variants": results}
    print(json.dumps(report | {"page": PAGE, "sessions": args.sessions, "first_visit_after_s": args.first_visit_after,
                               "machine": describe(),
                               "load_avg_1m": round(os.getloadavg()[0], 2)}))


if __name__ == "__main__":
    main()
