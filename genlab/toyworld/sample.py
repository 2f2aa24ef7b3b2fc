"""Training scenes with documented, deliberately uneven frequencies.

Real image models learn the habits of their training data: ask for "a person" and you get the
people the data over-represents. This toy world makes that visible. Red and circles are common,
brown and diamonds are rare, and most things sit in the centre, so a model asked for "a shape"
with nothing else said draws mostly red circles in the middle. The responsible-AI lesson shows
these tables next to what the model draws.

Some (shape, colour, position) combinations are *held out*: never drawn for training, used only to
test whether the model composes words it learnt separately.
"""

import itertools

import numpy as np

from genlab.toyworld.caption import caption_of, scene_slots
from genlab.toyworld.scene import Scene, Thing

#: Probability of each word in its slot among training scenes.
FREQUENCIES: dict[str, dict[str, float]] = {
    "layout": {"single": 0.80, "two": 0.10, "above": 0.10},
    "shape": {"circle": 0.30, "square": 0.22, "triangle": 0.16, "star": 0.12, "heart": 0.10,
              "diamond": 0.10},
    "colour": {"red": 0.24, "blue": 0.20, "green": 0.14, "yellow": 0.12, "orange": 0.09,
               "purple": 0.08, "pink": 0.07, "brown": 0.06},
    "size": {"large": 0.55, "small": 0.45},
    "position": {"center": 0.36, "left": 0.16, "right": 0.16, "top": 0.16, "bottom": 0.16},
    "background": {"white": 0.60, "black": 0.25, "grey": 0.15},
}

HELD_OUT_SEED = 901
HELD_OUT_COUNT = 40


def _held_out_triples() -> frozenset[tuple[str, str, str]]:
    triples = list(itertools.product(FREQUENCIES["shape"], FREQUENCIES["colour"],
                                     FREQUENCIES["position"]))
    pick = np.random.default_rng(HELD_OUT_SEED).choice(len(triples), HELD_OUT_COUNT, replace=False)
    return frozenset(triples[i] for i in sorted(pick))


HELD_OUT: frozenset[tuple[str, str, str]] = _held_out_triples()


def _pick(rng: np.random.Generator, slot: str) -> str:
    table = FREQUENCIES[slot]
    return str(rng.choice(list(table), p=list(table.values())))


def sample_scene(rng: np.random.Generator, allow_held_out: bool = False) -> Scene:
    """Draw one training scene with the frequencies in :data:`FREQUENCIES`."""
    while True:
        layout = _pick(rng, "layout")
        background = _pick(rng, "background")
        if layout == "single":
            thing = Thing(_pick(rng, "shape"), _pick(rng, "colour"), _pick(rng, "size"))
            position = _pick(rng, "position")
            if not allow_held_out and (thing.shape, thing.colour, position) in HELD_OUT:
                continue
            return Scene("single", (thing,), position, background)
        first = Thing(_pick(rng, "shape"), _pick(rng, "colour"), "small")
        if layout == "two":
            return Scene("two", (first,), "center", background)
        second = Thing(_pick(rng, "shape"), _pick(rng, "colour"), "small")
        return Scene("above", (first, second), "center", background)


def held_out_scenes() -> list[Scene]:
    """Every single-thing scene whose (shape, colour, position) the model never saw in training."""
    return [Scene("single", (Thing(shape, colour, size),), position, bg)
            for shape, colour, position in sorted(HELD_OUT)
            for size in FREQUENCIES["size"] for bg in FREQUENCIES["background"]]


def held_out_captions() -> list[str]:
    """Captions of :func:`held_out_scenes`, the test set for prompt adherence."""
    return [caption_of(scene_slots(s)) for s in held_out_scenes()]
