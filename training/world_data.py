"""Training data for the latent model: rendered pictures, their scenes, and fresh captions per step.

Pictures are rendered once (seeded) and cached as one array; captions are written anew for every
batch, so the text encoder sees many phrasings of each picture.
"""

from pathlib import Path

import numpy as np

from genlab.world.caption import training_caption
from genlab.world.render import render
from genlab.world.sample import sample_scene
from genlab.world.scene import Scene
from genlab.world.tokenizer import tokenize

CACHE = Path("training/cache")


def render_dataset(n: int, seed: int) -> tuple[np.ndarray, list[Scene]]:
    """``n`` jittered training pictures (uint8, N x 64 x 64 x 3) and their scenes."""
    rng = np.random.default_rng(seed)
    scenes = [sample_scene(rng) for _ in range(n)]
    images = np.empty((n, 64, 64, 3), dtype=np.uint8)
    for i, scene in enumerate(scenes):
        images[i] = render(scene, rng)
    return images, scenes


def cached_dataset(n: int, seed: int) -> tuple[np.ndarray, list[Scene]]:
    """:func:`render_dataset`, rendered once per (n, seed) and kept in ``training/cache``."""
    path = CACHE / f"world_{n}_{seed}.npy"
    rng_scenes = np.random.default_rng(seed)
    if path.exists():
        scenes = [sample_scene(rng_scenes) for _ in range(n)]   # the same draws as when rendered
        return np.load(path), scenes
    images, scenes = render_dataset(n, seed)
    CACHE.mkdir(parents=True, exist_ok=True)
    np.save(path, images)
    return images, scenes


def caption_ids(scenes: list[Scene], index: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Token ids (int64, batch x MAX_TOKENS) of a fresh caption for each picture in ``index``."""
    return np.asarray([tokenize(training_caption(scenes[i], rng)).ids for i in index], dtype=np.int64)
