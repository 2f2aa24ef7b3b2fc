"""Training data for the local models: toy-world scenes rendered once, captions varied per step."""

import numpy as np

from genlab.toyworld import render, sample_scene
from genlab.toyworld.caption import SLOT_NAMES, scene_slots, slot_ids, unspecified_ids

#: Probability that a caption leaves a slot out. Captions that leave things out teach the model
#: what to draw when the prompt does not say (the training data's habits: see FREQUENCIES).
SLOT_DROPOUT: dict[str, float] = {
    "layout": 0.0, "shape": 0.10, "colour": 0.15, "size": 0.35, "position": 0.30,
    "shape2": 0.10, "colour2": 0.15, "background": 0.35,
}
#: Probability that the whole caption is dropped: this is what makes classifier-free guidance work.
CAPTION_DROPOUT = 0.10


def render_dataset(n: int, seed: int, size: int = 32) -> tuple[np.ndarray, np.ndarray]:
    """``n`` jittered training images (uint8, NHWC) and their full slot ids (int64, N x slots)."""
    rng = np.random.default_rng(seed)
    images = np.empty((n, size, size, 3), dtype=np.uint8)
    ids = np.empty((n, len(SLOT_NAMES)), dtype=np.int64)
    for i in range(n):
        scene = sample_scene(rng)
        images[i] = render(scene, size, rng)
        ids[i] = slot_ids(scene_slots(scene))
    return images, ids


def drop_slots(ids: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Randomly replace slots (or whole captions) with "unspecified", per row."""
    unspecified = np.asarray(unspecified_ids())
    keep = rng.random(ids.shape) >= np.asarray([SLOT_DROPOUT[n] for n in SLOT_NAMES])
    keep &= (rng.random((ids.shape[0], 1)) >= CAPTION_DROPOUT)
    return np.where(keep, ids, unspecified)
