"""What the studio's own code costs around an image call, and how big a local image is: one JSON object.

Run from the repository root: ``python -m bench.studio``.

- ``overhead_ms``: median time of ``AzureBackend.generate`` minus the median time of the bare SDK call
  (``AzureOpenAI.images.generate``) for the same request against the same loopback stand-in
  (``tests/fake_openai.py``), runs interleaved so background load hits both alike. It is what our
  validation, price estimate, raw-response handling, base64 decoding and error mapping add.
- ``bytes_per_image``: the size of one signed 32x32 PNG from the local backend (null without the model).
- ``local_click_to_image_s``: null here; it needs a browser, and the lead's end-to-end bench adds it.
"""

import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openai

from bench.machine import describe
from genlab.backends.local import LocalBackend
from genlab.backends.remote import AzureBackend
from genlab.backends.types import ImageRequest
from tests.fake_openai import API_VERSION, AZURE_KEY, FakeOpenAI

RUNS = 100
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


def main() -> None:
    result = {**overhead(), **local_image(),
              "local_click_to_image_s": None,
              "local_click_to_image_note": "needs a browser: measured by the end-to-end bench, not here",
              "machine": {**describe(), "load_avg_1m": round(os.getloadavg()[0], 2)}}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
