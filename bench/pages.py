"""How long each page takes to settle, cold and warm; prints one JSON object.

    python -m bench.pages                 # every page in ui/navigation.py
    python -m bench.pages --pages diffusion studio

settled_s: from the browser opening the page until it has settled (Streamlit's script state is
"notRunning" and no element is still marked running or stale, see bench/startup.py).
* cold: the first visitor of a fresh server (one server per page, started just before);
* warm: a second visitor (a new browser context, so a new session) of that same server, right after.
One figure per page; the machine and its load are printed with them.
"""

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

from bench.machine import describe
from bench.startup import wait_settled
from bench.support import CHROMIUM, CHROMIUM_ARGS, running_app
from ui.navigation import all_pages


def settle(browser, url: str) -> float:
    context = browser.new_context()
    page = context.new_page()
    started = time.perf_counter()
    page.goto(url)
    wait_settled(page)
    elapsed = time.perf_counter() - started
    context.close()
    return round(elapsed, 3)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", nargs="*", help="url paths (\"\" is the start page); default: every page")
    args = parser.parse_args(argv)
    paths = [p.url_path for p in all_pages()] if args.pages is None else args.pages
    report: dict[str, dict[str, float]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for path in paths:
            with tempfile.TemporaryDirectory() as data, running_app(Path(data)) as app:
                cold = settle(browser, f"{app.url}/{path}")
                warm = settle(browser, f"{app.url}/{path}")
            report[path or "start"] = {"cold_settled_s": cold, "warm_settled_s": warm}
        browser.close()
    print(json.dumps({"settled_s": report, "machine": describe(), "load_avg_1m": round(os.getloadavg()[0], 2)}))


if __name__ == "__main__":
    main()
