"""Benchmark the local latent text-to-image model; prints one JSON object.

    python -m bench.diffusion                  # a few minutes on 2 cores
    python -m bench.diffusion --write-card     # also records the figures next to the weights

latency: 4 pictures, 20 guided DDIM steps and the decoder, end to end, 2 threads (median).
efficiency: denoiser arithmetic achieved during that batch over this CPU's measured float32 matmul
rate (NumPy/BLAS, 2 threads), both measured in this run.
adherence: one picture per held-out caption (subject, colour, scene and style combinations never
seen in training, with accessories and textures on top), read back by the vision reader; per
attribute, and the share of captions with every named attribute right. source_prompts: the three
prompts the module's sources quote, each over four seeds.
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
from genlab.diffusion import pipeline
from genlab.diffusion.model import CARD_FILE, WEIGHTS, load_model, model_info
from genlab.vision.reader import read_batch
from genlab.world.attributes import facts_of
from genlab.world.caption import caption_of
from genlab.world.prompt import read_prompt
from genlab.world.sample import held_out_scenes

STEPS = 20
GUIDANCE = 4.0
PROMPT = "a fluffy orange cat wearing a tiny top hat, watercolour style"
#: The prompts the module's own sources quote, and the facts each one names.
SOURCE_PROMPTS = (
    "a fluffy orange cat wearing a tiny top hat, watercolour style",
    "a cat and a dog playing in a park",
    "A cat in a spacesuit walking on the surface of Mars",
)
SCORED = ("subject", "colour", "accessory", "scene", "style")


def latency(n: int, repeats: int = 7) -> float:
    pipeline.generate(PROMPT, seed=0, num_inference_steps=STEPS, guidance_scale=GUIDANCE, n=n)
    times = []
    for i in range(repeats):
        started = time.perf_counter()
        pipeline.generate(PROMPT, seed=i, num_inference_steps=STEPS, guidance_scale=GUIDANCE, n=n)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def denoiser_gflops_per_image() -> float | None:
    """FLOPs of one denoiser pass for one latent, counted by PyTorch on the same architecture."""
    try:
        import torch
        from torch.utils.flop_counter import FlopCounterMode

        from training.latent_models import LatentModelConfig, LatentUNet
    except ImportError:
        return None
    cfg = LatentModelConfig.from_json(model_info()["config"])
    model = LatentUNet(cfg).eval()
    with torch.no_grad(), FlopCounterMode(display=False) as counter:
        model(torch.zeros(1, cfg.latent_channels, cfg.latent_size, cfg.latent_size),
              torch.zeros(1, dtype=torch.long), torch.zeros(1, cfg.max_tokens, dtype=torch.long))
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


def adherence(count: int = 320) -> tuple[dict[str, float], float, int]:
    """Per-attribute and all-attribute adherence on held-out scenes, one picture each."""
    scenes = held_out_scenes(count)
    images = [pipeline.generate(caption_of(scene), seed=i, num_inference_steps=STEPS,
                                guidance_scale=GUIDANCE).images[0] for i, scene in enumerate(scenes)]
    readings = read_batch(images)
    hits = dict.fromkeys(SCORED, 0)
    totals = dict.fromkeys(SCORED, 0)
    full = 0
    for scene, reading in zip(scenes, readings, strict=True):
        wanted = {k: v for k, v in facts_of(scene).items() if k in SCORED}
        agree = reading.agrees_with(wanted)
        for k, ok in agree.items():
            hits[k] += ok
            totals[k] += 1
        full += all(agree.values())
    return {k: round(hits[k] / totals[k], 4) for k in SCORED if totals[k]}, round(full / len(scenes), 4), len(scenes)


def source_prompts(seeds: int = 4) -> dict[str, float]:
    """Share of seeds whose picture shows every fact the prompt names (read back by the reader)."""
    out = {}
    for prompt in SOURCE_PROMPTS:
        wanted = read_prompt(prompt).asked()
        images = pipeline.generate(prompt, seed=0, num_inference_steps=STEPS, guidance_scale=GUIDANCE,
                                   n=seeds).images
        right = sum(all(r.agrees_with(wanted).values()) for r in read_batch(images))
        out[prompt] = right / seeds
    return out


def load_seconds() -> float:
    """Time to load every network the app loads (denoiser, decoder, encoder), fresh."""
    load_model.cache_clear()
    started = time.perf_counter()
    load_model()
    return time.perf_counter() - started


def main(write_card: bool = False) -> None:
    load_s = load_seconds()
    b1, b4 = latency(1), latency(4)
    flops = denoiser_gflops_per_image()
    peak = matmul_gflops()
    achieved = flops * STEPS * 2 * 4 / b4 if flops else None  # 2 denoiser passes per step (guidance)
    by_attribute, all_attributes, count = adherence()
    info = model_info()
    weights = sorted(WEIGHTS.glob("*.onnx")) + sorted((WEIGHTS.parent.parent / "vision" / "weights").glob("*.onnx"))
    result = {
        "resolution": info.get("config", {}).get("image_size"),
        "latent": [info.get("config", {}).get(k) for k in ("latent_channels", "latent_size", "latent_size")],
        "latency_s_batch1": round(b1, 4),
        "latency_s_batch4": round(b4, 4),
        "steps": STEPS,
        "guidance_scale": GUIDANCE,
        "denoiser_gflops_per_image": round(flops, 4) if flops else None,
        "achieved_gflops": round(achieved, 2) if achieved else None,
        "cpu_matmul_gflops": round(peak, 2),
        "efficiency": round(achieved / peak, 3) if achieved else None,
        "adherence_by_attribute": by_attribute,
        "adherence_all_attributes": all_attributes,
        "held_out_captions": count,
        "source_prompts": source_prompts(),
        "weights_mib": round(sum(p.stat().st_size for p in weights) / 2**20, 2),
        "load_s": round(load_s, 3),
        "training": {"denoiser_steps": info.get("denoiser_steps"), "denoiser_wall_s": info.get("denoiser_wall_s"),
                     "autoencoder_wall_s": info.get("autoencoder_wall_s"), "trained_on": info.get("trained_on"),
                     "hardware": info.get("hardware")},
        "machine": describe(),
    }
    print(json.dumps(result))
    if write_card:  # record the figures next to the weights and re-render the model card
        from genlab.diffusion import card

        info["evaluation"] = result
        CARD_FILE.write_text(json.dumps(info, indent=2) + "\n")
        card.write_card()


if __name__ == "__main__":
    main(write_card="--write-card" in sys.argv)
