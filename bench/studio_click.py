"""Where the time of one studio click goes, local model, real browser; prints one JSON object.

    python -m bench.studio_click [--clicks 5] [--profile]

For each click on Generate (after one warm-up click), the browser's own timeline, read from the
websocket frames Chromium exchanges with the server (decoded as Streamlit's ForwardMsg) and its
media requests:

* ``to_run_start_s``: click until the server's first message of the run (``new_session``);
* ``to_image_delta_s``: click until the delta that holds the result image arrives;
* ``to_run_end_s``: click until ``script_finished`` (the whole page's rerun is done);
* ``to_image_loaded_s``: click until the image's ``/media/`` request has its response;
* ``to_visible_s``: click until the image is visible (``local_click_to_image_s`` in bench/studio.py).
* ``deltas`` / ``kb_sent``: how many element messages, and how many kilobytes, the rerun sent.

The backend's own time for the same request (``local_backend_total_s``) is measured in the same
process before the browser starts. ``--profile`` also samples the server with py-spy (if it is on
PATH) during the clicks and lists where its threads spent their samples.
"""

import argparse
import json
import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections import Counter
from pathlib import Path

from playwright.sync_api import sync_playwright
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from bench.machine import describe
from bench.studio import CLICK_PROMPTS, local_image
from bench.support import CHROMIUM, CHROMIUM_ARGS, running_app


def _kind(payload: bytes) -> tuple[str, bool]:
    msg = ForwardMsg()
    try:
        msg.ParseFromString(payload)
    except Exception:  # not a ForwardMsg (a ping)
        return "other", False
    kind = msg.WhichOneof("type") or "other"
    has_image = kind == "delta" and "/media/" in str(msg.delta)
    return kind, has_image


def profile_lines(raw: Path, top: int = 60) -> list[str]:
    """py-spy's raw stacks as inclusive shares per function (file:function)."""
    inclusive: Counter[str] = Counter()
    total = 0
    for line in raw.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        n = int(count)
        total += n
        seen = set()
        for frame in stack.split(";"):
            name = frame.split(" (")[0]
            where = frame.rsplit("/", 1)[-1].split(":")[0] if "(" in frame else ""
            key = f"{name} [{where}]"
            if key not in seen:
                seen.add(key)
                inclusive[key] += n
    return [f"{100 * n / max(total, 1):5.1f}% {k}" for k, n in inclusive.most_common(top)]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clicks", type=int, default=5)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    backend = local_image()
    clicks: list[dict] = []
    profile: list[str] = []
    with tempfile.TemporaryDirectory() as data, running_app(Path(data)) as app, sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        events: list[tuple[float, str, int]] = []

        def on_socket(ws) -> None:
            def received(payload) -> None:
                data = payload if isinstance(payload, bytes) else payload.encode()
                kind, image = _kind(data)
                events.append((time.perf_counter(), "image" if image else kind, len(data)))

            ws.on("framereceived", received)

        page.on("websocket", on_socket)
        page.on("response", lambda r: events.append((time.perf_counter(), "media", 0)) if "/media/" in r.url else None)
        page.goto(f"{app.url}/studio")
        page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=120_000)
        prompt_box = page.get_by_label("Prompt", exact=True)
        prompt_box.wait_for(timeout=60_000)
        spy = None
        for n, prompt in enumerate(CLICK_PROMPTS[:args.clicks + 1]):
            if n == 1 and args.profile and shutil.which("py-spy"):
                raw = Path(data) / "spy.raw"
                spy = subprocess.Popen(["py-spy", "record", "--pid", str(app.process.pid), "--rate", "200",
                                        "--format", "raw", "-o", str(raw), "--nonblocking"],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                time.sleep(1.0)
            prompt_box.fill(prompt)
            image = page.locator(f'img[alt="AI-generated image for the prompt: {prompt}"]')
            events.clear()
            start = time.perf_counter()
            page.get_by_role("button", name="Generate", exact=True).click()
            image.wait_for(state="visible", timeout=120_000)
            visible = time.perf_counter() - start
            page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=120_000)
            mine = [(t - start, k, size) for t, k, size in list(events) if t >= start]

            def first(kind: str, seen: list = mine) -> float | None:
                return next((round(t, 3) for t, k, _ in seen if k == kind), None)

            clicks.append({"to_run_start_s": first("new_session"), "to_image_delta_s": first("image"),
                           "to_run_end_s": first("script_finished"), "to_image_loaded_s": first("media"),
                           "to_visible_s": round(visible, 3),
                           "deltas": sum(1 for _, k, _ in mine if k in ("delta", "image")),
                           "kb_sent": round(sum(s for _, _, s in mine) / 1024, 1)})
        if spy is not None:
            spy.send_signal(2)  # SIGINT: py-spy writes what it has
            spy.wait(30)
            if raw.exists():
                profile = profile_lines(raw)
        browser.close()
    later = clicks[1:]
    summary = {key: statistics.median([c[key] for c in later if c[key] is not None] or [0])
               for key in clicks[0]}
    print(json.dumps({"median_of_clicks": summary, "first_click": clicks[0], "clicks": len(later), **backend,
                      "server_profile": profile, "machine": describe(),
                      "load_avg_1m": round(os.getloadavg()[0], 2)}))


if __name__ == "__main__":
    main()
