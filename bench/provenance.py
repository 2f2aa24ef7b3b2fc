"""What Content Credentials cost next to making the image: sign and inspect timings, as one JSON object.

Run from the repository root: ``python -m bench.provenance``. It uses a temporary data directory
(so a fresh demo CA), never the app's own.
"""

import io
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from PIL import Image

from bench.machine import describe
from genlab.provenance import inspect, sign

PROMPT = "a red car on the beach"


def median_ms(fn: Callable[[], object], runs: int) -> float:
    fn()  # warm-up: first-use costs (CA creation, c2pa's lazy init) are not per-image costs
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 2)


def png(pixels: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(pixels).save(buf, "PNG")
    return buf.getvalue()


def generation() -> tuple[float | None, np.ndarray | None, str | None]:
    """Median local generation time (ms) and one image, or why it could not be measured."""
    try:
        from genlab.diffusion import pipeline
    except ImportError as exc:
        return None, None, f"genlab.diffusion.pipeline is not importable ({exc}); generation not timed."

    def run() -> pipeline.GenerationOutput:
        return pipeline.generate(PROMPT, seed=0, num_inference_steps=20, guidance_scale=3.0, n=1)

    try:
        image = run().images[0]
    except Exception as exc:  # a missing model file is a reason to report, not to crash the bench
        return None, None, f"the local model could not run ({type(exc).__name__}: {exc}); generation not timed."
    return median_ms(run, 5), image, None


def main() -> None:
    generation_ms, generated, note = generation()
    small = png(generated if generated is not None else
                np.random.default_rng(0).integers(0, 256, (32, 32, 3), dtype=np.uint8))
    large = png(np.random.default_rng(1).integers(0, 256, (580, 600, 3), dtype=np.uint8))
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        model = {"model_name": "genlab-toy-diffusion", "model_version": "bench", "data_dir": data_dir}
        signed_small = sign(small, prompt=PROMPT, **model)
        signed_large = sign(large, prompt=PROMPT, **model)
        assert inspect(signed_small, data_dir=data_dir).verdict == "trusted"
        result = {
            "sign_ms": median_ms(lambda: sign(small, prompt=PROMPT, **model), 15),
            "inspect_ms": median_ms(lambda: inspect(signed_small, data_dir=data_dir), 15),
            "sign_ms_1mb": median_ms(lambda: sign(large, prompt=PROMPT, **model), 7),
            "inspect_ms_1mb": median_ms(lambda: inspect(signed_large, data_dir=data_dir), 7),
            "png_bytes": len(small), "signed_png_bytes": len(signed_small),
            "png_bytes_1mb": len(large), "signed_png_bytes_1mb": len(signed_large),
        }
    result["generation_ms"] = generation_ms
    result["ratio_to_generation"] = (round((result["sign_ms"] + result["inspect_ms"]) / generation_ms, 4)
                                     if generation_ms else None)
    if note:
        result["note"] = note
    result["machine"] = describe() | {"load_avg_1m": round(os.getloadavg()[0], 2)}
    print(json.dumps(result))


if __name__ == "__main__":
    main()
