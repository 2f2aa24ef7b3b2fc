"""Benchmark the local text-to-image model; prints one JSON object.

    python -m bench.diffusion            # about a minute on 2 cores

latency: 20 guided DDIM steps, end to end, 2 threads (median of repeated runs).
efficiency: U-Net arithmetic achieved during batch-4 generation over this CPU's measured float32
matmul rate (NumPy/BLAS, 2 threads), both measured in this run.
adherence: one image per held-out caption (combinations never seen in training), read back by
the vision reader; a generation adheres when shape, colour and position all read as prompted.
"""

import os

os.environ.setdefault("OMP_NUM_THREADS", "2")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "2")

import json
import statistics
import sys
import time

import numpy as np

from bench.machine import describe
from genlab.diffusion import card, pipeline
from genlab.diffusion.model import CARD_FILE, model_info
from genlab.toyworld import held_out_captions
from genlab.toyworld.caption import parse
from genlab.vision.reader import read_batch

STEPS = 20
GUIDANCE = 3.0


def latency(n: int, repeats: int = 7) -> float:
    pipeline.generate("a large red circle on the left", seed=0, num_inference_steps=STEPS, guidance_scale=GUIDANCE, n=n)
    times = []
    for i in range(repeats):
        started = time.perf_counter()
        pipeline.generate("a large red circle on the left", seed=i, num_inference_steps=STEPS,
                          guidance_scale=GUIDANCE, n=n)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def unet_gflops_per_image() -> float | None:
    """FLOPs of one U-Net forward pass for one image, counted by PyTorch on the same architecture."""
    try:
        import torch
        from torch.utils.flop_counter import FlopCounterMode

        from training.unet import UNet
    except ImportError:
        return None
    config = model_info().get("config", {})
    model = UNet(**{k: tuple(v) if isinstance(v, list) else v for k, v in config.items()}).eval()
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        model(torch.zeros(1, 3, 32, 32), torch.zeros(1, dtype=torch.long), torch.zeros(1, 8, dtype=torch.long))
    return counter.get_total_flops() / 1e9


def matmul_gflops(size: int = 1024, seconds: float = 3.0) -> float:
    a = np.random.default_rng(0).standard_normal((size, size), dtype=np.float32)
    b = np.random.default_rng(1).standard_normal((size, size), dtype=np.float32)
    a @ b
    best = 0.0
    deadline = time.perf_counter() + seconds
    while time.perf_counter() < deadline:
        started = time.perf_counter()
        a @ b
        best = max(best, 2 * size**3 / (time.perf_counter() - started) / 1e9)
    return best


def adherence() -> tuple[float, dict[str, float], int]:
    captions = held_out_captions()
    images = [pipeline.generate(c, seed=i, num_inference_steps=STEPS, guidance_scale=GUIDANCE).images[0]
              for i, c in enumerate(captions)]
    readings = read_batch(images)
    keys = ("shape", "colour", "position", "size", "background")
    hits = {k: 0 for k in keys}
    full = 0
    for caption, reading in zip(captions, readings, strict=True):
        agree = reading.agrees_with(parse(caption).slots, keys)
        for k in keys:
            hits[k] += agree[k]
        full += agree["shape"] and agree["colour"] and agree["position"]
    return full / len(captions), {k: round(v / len(captions), 4) for k, v in hits.items()}, len(captions)


def main(write_card: bool = False) -> None:
    b1, b4 = latency(1), latency(4)
    flops = unet_gflops_per_image()
    peak = matmul_gflops()
    achieved = flops * STEPS * 2 * 4 / b4 if flops else None  # 2 U-Net passes per step (guidance)
    score, by_attribute, count = adherence()
    info = model_info()
    result = {
        "latency_s_batch1": round(b1, 4),
        "latency_s_batch4": round(b4, 4),
        "steps": STEPS,
        "guidance_scale": GUIDANCE,
        "unet_gflops_per_image": round(flops, 4) if flops else None,
        "achieved_gflops": round(achieved, 2) if achieved else None,
        "cpu_matmul_gflops": round(peak, 2),
        "efficiency": round(achieved / peak, 3) if achieved else None,
        "adherence": round(score, 4),
        "adherence_by_attribute": by_attribute,
        "held_out_captions": count,
        "model_steps": info.get("steps"),
        "machine": describe(),
    }
    print(json.dumps(result))
    if write_card:  # record the figures next to the weights and re-render the model card
        info["evaluation"] = result
        CARD_FILE.write_text(json.dumps(info, indent=2) + "\n")
        card.write_card()


if __name__ == "__main__":
    main(write_card="--write-card" in sys.argv)
