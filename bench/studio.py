"""What the studio's own code costs around an image call, and how big a local image is: one JSON object.

Run from the repository root: ``python -m bench.studio``.

- ``overhead_ms``: median time of ``AzureBackend.generate`` minus the median time of the bare SDK call
  (``AzureOpenAI.images.generate``) for the same request against the same loopback stand-in
  (``devtools/fake_openai.py``), runs interleaved so background load hits both alike. It is what our
  validation, price estimate, raw-response handling, base64 decoding and error mapping add.
- ``bytes_per_image``: the size of one signed PNG from the local backend (64x64) (null without the model).
- ``local_click_to_image_s``: in a real browser (Chromium), from clicking Generate on the studio page
  (local model, default settings, one image) to the result image being visible: the median of
  ``CLICKS`` clicks after one warm-up click, whose time is ``local_click_to_image_first_s`` (it includes the
  first model run of a fresh server). Null, with a note, when Chromium or Playwright is missing.
- ``deadline_overrun_s``: the worst time past the click's deadline (``DEADLINE_S``) over the silent and the
  trickling stand-in, on every route, through the studio's engine (:func:`genlab.studio.run`); 0 or less
  means every such click answered by its deadline.
- ``requests_per_failed_click``: the most HTTP requests one failed click sent, over every odd behaviour of
  the stand-in on every route (and a refused connection): 1 means nothing is retried, 2 that something was
  retried once.
"""

import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openai

from bench.machine import describe
from devtools.fake_openai import API_VERSION, AZURE_KEY, OPENAI_KEY, TRIGGERS, FakeOpenAI
from genlab.backends.control import CallControl
from genlab.backends.local import LocalBackend
from genlab.backends.remote import AzureBackend, OpenAIBackend, RemoteBackend
from genlab.backends.types import ImageRequest
from genlab.studio import MemoryLimiter, ScratchKeeper
from genlab.studio import run as run_click

RUNS = 100
CLICKS = 5
#: One prompt per click, so each click waits for its own image (the alt text names the prompt).
CLICK_PROMPTS = ("a large red circle on the left", "a small blue star at the top", "two green triangles",
                 "a yellow heart above a purple square", "a pink diamond in the centre",
                 "a large orange square on the right")
REQUEST = ImageRequest("a red fox in the snow", size="1024x1024", quality="low")


def _ms(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def overhead() -> dict:
    """Median ms of our generate and of the bare SDK call, interleaved, after one warm-up each."""
    with FakeOpenAI() as fake:
        ours = AzureBackend(fake.url, "img15", api_key=AZURE_KEY, max_retries=0)
        sdk = openai.AzureOpenAI(azure_endpoint=fake.url, api_key=AZURE_KEY, api_version=API_VERSION,
                                 max_retries=0)

        def run_ours() -> None:
            assert ours.generate(REQUEST).ok

        def run_sdk() -> None:
            sdk.images.generate(model="img15", prompt=REQUEST.prompt, size="1024x1024", quality="low", n=1)

        run_ours(), run_sdk()
        ours_ms, sdk_ms = [], []
        for _ in range(RUNS):
            ours_ms.append(_ms(run_ours))
            sdk_ms.append(_ms(run_sdk))
    ours_median, sdk_median = statistics.median(ours_ms), statistics.median(sdk_ms)
    return {"overhead_ms": round(ours_median - sdk_median, 3), "generate_median_ms": round(ours_median, 3),
            "sdk_median_ms": round(sdk_median, 3), "runs": RUNS}


def local_image() -> dict:
    """One signed PNG from the local backend, in a temporary data directory (a fresh demo CA)."""
    with tempfile.TemporaryDirectory() as tmp:
        backend = LocalBackend(data_dir=Path(tmp))
        if not backend.available():
            return {"bytes_per_image": None, "bytes_note": backend.available().reason}
        result = backend.generate(ImageRequest("a red circle", seed=0))
        if not result.ok:
            return {"bytes_per_image": None, "bytes_note": result.error.message if result.error else ""}
        return {"bytes_per_image": len(result.images[0]),
                "local_backend_total_s": round(result.timings["total"], 3)}


def click_to_image() -> dict[str, Any]:
    """Seconds from clicking Generate in the studio to the local result image being visible, in Chromium."""
    try:
        from playwright.sync_api import sync_playwright

        from bench.support import CHROMIUM, CHROMIUM_ARGS, running_app
    except ImportError as exc:
        return {"local_click_to_image_s": None, "local_click_to_image_note": f"needs Playwright ({exc.name})"}
    if not Path(CHROMIUM).exists():
        return {"local_click_to_image_s": None, "local_click_to_image_note": f"needs Chromium at {CHROMIUM}"}
    times: list[float] = []
    with tempfile.TemporaryDirectory() as data, running_app(Path(data)) as app:
        url = app.url
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1366, "height": 900})
            page.goto(f"{url}/studio")
            page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]',
                                   timeout=120_000)
            prompt_box = page.get_by_label("Prompt", exact=True)
            prompt_box.wait_for(timeout=60_000)
            for prompt in CLICK_PROMPTS[:CLICKS + 1]:
                prompt_box.fill(prompt)
                image = page.locator(f'img[alt="AI-generated image for the prompt: {prompt}"]')
                start = time.perf_counter()
                page.get_by_role("button", name="Generate", exact=True).click()
                image.wait_for(state="visible", timeout=120_000)
                times.append(time.perf_counter() - start)
            browser.close()
    return {"local_click_to_image_s": round(statistics.median(times[1:]), 3),
            "local_click_to_image_first_s": round(times[0], 3), "local_click_to_image_clicks": CLICKS}


DEADLINE_S = 2.0
ROUTES = ("azure-classic", "azure-v1", "openai")
#: Odd behaviours that need partial images to show (the stream ones).
STREAMED = ("trigger:stream_cut", "trigger:stream_incomplete", "trigger:stream_reset", "trigger:stream_error")
#: Behaviours that are not failures of one click (a slow success, a 429 that passes on the second try).
NOT_FAILURES = ("trigger:timeout", "trigger:429once")


def _backend(fake: FakeOpenAI, route: str, url: str | None = None) -> RemoteBackend:
    base = url or fake.url
    if route == "openai":
        return OpenAIBackend(OPENAI_KEY, "gpt-image-1.5", base_url=f"{base}/v1", timeout_s=DEADLINE_S)
    return AzureBackend(base, "img15", api_key=AZURE_KEY, route=route.removeprefix("azure-"), timeout_s=DEADLINE_S)


def odd_server() -> dict[str, Any]:
    """Every odd behaviour on every route, one click each: overrun past the deadline, requests per failure."""
    overrun = float("-inf")
    most_requests = 0
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        keeper = ScratchKeeper(Path(tmp))
        for route in ROUTES:
            for trigger in [t for t in TRIGGERS if t not in NOT_FAILURES] + ["refused"]:
                with FakeOpenAI() as fake:
                    url = fake.refused_url if trigger == "refused" else None
                    request = ImageRequest(f"a red fox {trigger}", quality="low",
                                           partial_images=2 if trigger in STREAMED else 0)
                    start = time.perf_counter()
                    result = run_click(_backend(fake, route, url), request, "generate", gallery=keeper,
                                       limits=MemoryLimiter(1000, 100.0), control=CallControl(DEADLINE_S))
                    took = time.perf_counter() - start
                if trigger in ("trigger:silent", "trigger:trickle"):
                    overrun = max(overrun, took - DEADLINE_S)
                if result.error is not None:
                    failures += 1
                    most_requests = max(most_requests, result.requests)
    return {"deadline_overrun_s": round(overrun, 3), "requests_per_failed_click": most_requests,
            "odd_server_failed_clicks": failures, "odd_server_deadline_s": DEADLINE_S}


def main() -> None:
    result = {**overhead(), **odd_server(), **local_image(), **click_to_image(),
              "machine": {**describe(), "load_avg_1m": round(os.getloadavg()[0], 2)}}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
