"""Training scenes with documented, deliberately uneven frequencies.

Real image models learn the habits of their training data: ask for "a cat" and you get the cats the
data over-represents. This world makes that visible. Cats are mostly orange, trees mostly green,
most pictures are flat illustrations on a plain background, and so on. The responsible-AI lesson
shows these tables next to what the model draws when a prompt leaves a choice open.

Some (subject, colour, scene, style) combinations are *held out*: never drawn for training, used
only to test whether the model composes words it learnt separately.
"""

import itertools

import numpy as np

from genlab.world.scene import Scene, Subject
from genlab.world.vocab import ANIMALS, COLOURS, FLUFFY_SUBJECTS, SCENES, SHINY_SUBJECTS, STYLES, SUBJECTS

#: Probability of each value among training pictures (per subject for colour: see SUBJECT_COLOURS).
FREQUENCIES: dict[str, dict[str, float]] = {
    "layout": {"single": 0.74, "and": 0.16, "above": 0.10},
    "subject": {"cat": 0.17, "dog": 0.14, "bird": 0.11, "fish": 0.07, "house": 0.08, "tree": 0.08,
                "flower": 0.08, "car": 0.08, "boat": 0.07, "circle": 0.03, "square": 0.03,
                "triangle": 0.03, "star": 0.03},
    "accessory": {"none": 0.45, "top hat": 0.15, "spacesuit": 0.11, "scarf": 0.11, "glasses": 0.10,
                  "crown": 0.08},
    "scene": {"plain": 0.34, "park": 0.24, "beach": 0.15, "night sky": 0.14, "mars": 0.13},
    "style": {"flat": 0.40, "watercolour": 0.20, "pixel art": 0.20, "pencil sketch": 0.20},
    "texture": {"plain": 0.6, "textured": 0.4},
    "size": {"large": 0.55, "small": 0.45},
    "position": {"center": 0.50, "left": 0.25, "right": 0.25},
}

#: Each subject's favourite colours; every other colour shares what is left, so any colour can be asked for.
_FAVOURITES: dict[str, dict[str, float]] = {
    "cat": {"orange": 0.30, "black": 0.15, "grey": 0.15, "white": 0.10},
    "dog": {"brown": 0.35, "black": 0.12, "white": 0.12, "yellow": 0.08},
    "bird": {"blue": 0.30, "red": 0.15, "yellow": 0.15},
    "fish": {"orange": 0.30, "blue": 0.15, "yellow": 0.12},
    "house": {"red": 0.20, "white": 0.20, "yellow": 0.15, "blue": 0.10},
    "tree": {"green": 0.60, "orange": 0.08, "pink": 0.08},
    "flower": {"red": 0.22, "pink": 0.22, "yellow": 0.18, "purple": 0.12},
    "car": {"red": 0.25, "blue": 0.15, "black": 0.15, "white": 0.10},
    "boat": {"white": 0.25, "red": 0.20, "blue": 0.15},
}


def _subject_colours(kind: str) -> dict[str, float]:
    favourites = _FAVOURITES.get(kind, {})
    rest = [c for c in COLOURS if c not in favourites]
    share = (1.0 - sum(favourites.values())) / len(rest)
    return {c: favourites.get(c, share) for c in COLOURS}


SUBJECT_COLOURS: dict[str, dict[str, float]] = {kind: _subject_colours(kind) for kind in SUBJECTS}

HELD_OUT_SEED = 901
HELD_OUT_SHARE = 0.06


def _held_out() -> frozenset[tuple[str, str, str, str]]:
    combos = list(itertools.product(SUBJECTS, COLOURS, SCENES, STYLES))
    rng = np.random.default_rng(HELD_OUT_SEED)
    pick = rng.choice(len(combos), int(len(combos) * HELD_OUT_SHARE), replace=False)
    return frozenset(combos[i] for i in sorted(pick))


#: (subject, colour, scene, style) quadruples never drawn for training.
HELD_OUT: frozenset[tuple[str, str, str, str]] = _held_out()


def _pick(rng: np.random.Generator, table: dict[str, float]) -> str:
    p = np.asarray(list(table.values()), dtype=np.float64)
    return str(rng.choice(list(table), p=p / p.sum()))


def sample_subject(rng: np.random.Generator, kind: str | None = None, accessories: bool = True) -> Subject:
    """One subject with its colour, accessory and texture drawn from the tables above."""
    kind = kind or _pick(rng, FREQUENCIES["subject"])
    colour = _pick(rng, SUBJECT_COLOURS[kind])
    accessory = _pick(rng, FREQUENCIES["accessory"]) if accessories and kind in ANIMALS else "none"
    texture = "plain"
    if _pick(rng, FREQUENCIES["texture"]) == "textured":
        texture = "fluffy" if kind in FLUFFY_SUBJECTS else "shiny" if kind in SHINY_SUBJECTS else "plain"
    return Subject(kind, colour, accessory, texture)


def sample_scene(rng: np.random.Generator, allow_held_out: bool = False) -> Scene:
    """Draw one training scene with the frequencies in :data:`FREQUENCIES`."""
    while True:
        layout = _pick(rng, FREQUENCIES["layout"])
        scene, style = _pick(rng, FREQUENCIES["scene"]), _pick(rng, FREQUENCIES["style"])
        if layout == "single":
            subject = sample_subject(rng)
            if not allow_held_out and (subject.kind, subject.colour, scene, style) in HELD_OUT:
                continue
            return Scene("single", (subject,), scene, style, _pick(rng, FREQUENCIES["size"]),
                         _pick(rng, FREQUENCIES["position"]))
        first, second = sample_subject(rng, accessories=False), sample_subject(rng, accessories=False)
        return Scene(layout, (first, second), scene, style, "small", "center")


def held_out_scenes(count: int = 320, seed: int = 902) -> list[Scene]:
    """Single-subject scenes whose (subject, colour, scene, style) the model never saw in training.

    Accessories and textures are drawn at random on top, so the test set also holds accessory
    combinations the training set may never have paired with that subject, colour, scene and style.
    """
    rng = np.random.default_rng(seed)
    combos = sorted(HELD_OUT)
    out = []
    for i in range(count):
        kind, colour, scene, style = combos[i % len(combos)]
        base = sample_subject(rng, kind)
        out.append(Scene("single", (Subject(kind, colour, base.accessory, base.texture),), scene, style,
                         _pick(rng, FREQUENCIES["size"]), _pick(rng, FREQUENCIES["position"])))
    return out
