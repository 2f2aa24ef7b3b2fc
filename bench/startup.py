"""Start-up and memory of the app; prints one JSON object.

    python -m bench.startup

health_s: from `streamlit run` to /_stcore/health answering ok.
first_heading_s: from a browser opening the first lesson to its heading being visible (first visit
of a fresh server, so it includes loading the model and the first script run).
rss_idle_mib / rss_20_sessions_mib: the server's resident memory idle, and with 20 browser sessions
open on the first lesson.
"""

import json
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.machine import describe
from bench.support import CHROMIUM, CHROMIUM_ARGS, running_app


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def main(sessions: int = 20) -> None:
    with tempfile.TemporaryDirectory() as data, running_app(Path(data)) as app:
        url, process, health_s = app.url, app.process, app.health_s
        time.sleep(2)
        idle = rss_mib(process.pid)
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page()
            t0 = time.perf_counter()
            page.goto(f"{url}/diffusion")
            page.locator("h1").first.wait_for(state="visible", timeout=60_000)
            first_heading_s = time.perf_counter() - t0
            pages = [page]
            for _ in range(sessions - 1):
                extra = browser.new_context().new_page()
                extra.goto(f"{url}/diffusion")
                pages.append(extra)
            for extra in pages:
                extra.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                                        timeout=120_000)
            time.sleep(2)
            busy = rss_mib(process.pid)
            browser.close()
    print(json.dumps({"health_s": round(health_s, 3), "first_heading_s": round(first_heading_s, 3),
                      "rss_idle_mib": round(idle, 1), "rss_20_sessions_mib": round(busy, 1),
                      "sessions": sessions, "machine": describe()}))


if __name__ == "__main__":
    main()
