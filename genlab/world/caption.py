"""Captions: many ways of saying what a picture shows.

The model is trained on free text, not on slots: every training picture is described afresh at each
step, with a random phrasing ("a watercolour of a cat", "a cat, painted in watercolour", "kitten in
watercolor") and with some of its facts left unsaid, so the text encoder learns which words matter
and the model learns what to draw when a prompt leaves a choice open. :func:`caption_of` is the one
complete, plain caption of a scene, used for evaluation and display.
"""

import numpy as np

from genlab.world.scene import Scene, Subject

#: How often a fact is left out of a training caption (the picture still shows it).
DROP: dict[str, float] = {"colour": 0.25, "accessory": 0.12, "texture": 0.35, "size": 0.45,
                          "position": 0.4, "scene": 0.25, "style": 0.25}
#: How often the whole caption is dropped: what makes classifier-free guidance work.
CAPTION_DROPOUT = 0.10

_STYLE_PREFIX = {
    "flat": ["a flat illustration of", "an illustration of", "a flat drawing of", "a cartoon of"],
    "watercolour": ["a watercolour painting of", "a watercolour of", "a watercolor painting of",
                    "a watercolour picture of"],
    "pixel art": ["pixel art of", "a pixel art picture of", "a pixelated picture of", "an 8-bit picture of"],
    "pencil sketch": ["a pencil sketch of", "a pencil drawing of", "a sketch of", "a drawing in pencil of"],
}
_STYLE_SUFFIX = {
    "flat": [", flat illustration", ", flat style", " in a flat style", ", flat illustration style"],
    "watercolour": [", watercolour style", ", watercolour", " in watercolour", ", painted in watercolour",
                    ", watercolor painting", " in watercolor style"],
    "pixel art": [", pixel art", " in pixel art style", ", pixel art style", ", 8-bit style"],
    "pencil sketch": [", pencil sketch", ", sketched in pencil", " drawn in pencil", ", pencil drawing",
                      " in pencil sketch style"],
}
_ACCESSORY = {
    "top hat": ["wearing a top hat", "wearing a tiny top hat", "in a top hat", "with a top hat",
                "wearing a little top hat", "in a tiny top hat"],
    "spacesuit": ["in a spacesuit", "wearing a spacesuit", "in a space suit", "wearing a space suit"],
    "scarf": ["wearing a scarf", "with a scarf", "in a scarf", "wearing a striped scarf"],
    "glasses": ["wearing glasses", "with glasses", "wearing spectacles", "in glasses"],
    "crown": ["wearing a crown", "with a crown", "in a golden crown", "wearing a tiny crown"],
}
_SCENE = {
    "plain": ["on a plain background", "on a white background", "on a blank background", "on plain white"],
    "park": ["in a park", "in the park", "at the park", "on the grass in a park"],
    "beach": ["on a beach", "on the beach", "at the beach", "by the sea"],
    "night sky": ["under a night sky", "at night", "under the stars", "under a starry night sky"],
    "mars": ["on mars", "on the surface of mars", "on the red planet", "on the martian surface"],
}
_POSITION = {"left": ["on the left", "on the left side"], "right": ["on the right", "on the right side"],
             "center": ["in the center", "in the middle", "in the centre"]}
_VERBS = ["sitting", "standing", "walking", "playing", "running", "resting"]
_NOUN = {"cat": ["cat", "kitten", "kitty"], "dog": ["dog", "puppy", "doggy"], "bird": ["bird"],
         "fish": ["fish"], "house": ["house", "cottage"], "tree": ["tree"], "flower": ["flower"],
         "car": ["car"], "boat": ["boat", "sailboat"], "circle": ["circle"], "square": ["square"],
         "triangle": ["triangle"], "star": ["star"]}
_PLURAL = {"fish": "fish", "boat": "boats", "house": "houses"}


def _a(phrase: str) -> str:
    return ("an " if phrase[0] in "aeiou8" else "a ") + phrase


def _noun_phrase(s: Subject, size: str | None, rng: np.random.Generator | None, keep: dict[str, bool]) -> str:
    def choose(options: list[str]) -> str:
        return options[0] if rng is None else options[int(rng.integers(len(options)))]

    words = []
    if s.texture != "plain" and keep["texture"]:
        words.append(s.texture)
    if size and keep["size"]:
        words.append(choose(["small", "little"]) if size == "small" else choose(["large", "big"]))
    if keep["colour"]:
        words.append(s.colour)
    words.append(choose(_NOUN[s.kind]))
    phrase = _a(" ".join(words))
    if s.accessory != "none" and keep["accessory"]:
        phrase += " " + choose(_ACCESSORY[s.accessory])
    return phrase


def describe(scene: Scene, rng: np.random.Generator | None = None) -> str:
    """A caption of ``scene``: random phrasing and dropped facts with ``rng``, complete without."""
    def choose(options: list[str]) -> str:
        return options[0] if rng is None else options[int(rng.integers(len(options)))]

    keep = {k: rng is None or rng.random() >= p for k, p in DROP.items()}
    if scene.layout == "single":
        text = _noun_phrase(scene.main, scene.size, rng, keep)
    else:
        first = _noun_phrase(scene.subjects[0], None, rng, keep)
        second = _noun_phrase(scene.subjects[1], None, rng, keep)
        if scene.layout == "and":
            text = f"{first} {choose(['and', 'next to', 'beside'])} {second}"
        elif rng is not None and rng.random() < 0.3:
            text = f"{second} {choose(['below', 'under'])} {first}"
        else:
            text = f"{first} {choose(['above', 'over'])} {second}"
    if rng is not None and rng.random() < 0.3:
        text += " " + choose(_VERBS if scene.layout == "single" else ["playing", "together", "playing together"])
    if scene.layout == "single" and keep["position"]:
        text += " " + choose(_POSITION[scene.position])
    if keep["scene"]:
        text += " " + choose(_SCENE[scene.scene])
    if keep["style"]:
        if rng is not None and rng.random() < 0.5:
            text = choose(_STYLE_PREFIX[scene.style]) + " " + text
        else:
            text += choose(_STYLE_SUFFIX[scene.style])
    if rng is not None and rng.random() < 0.3:
        text = text[0].upper() + text[1:]
    return text


def caption_of(scene: Scene) -> str:
    """The complete caption of a scene, in the plainest words."""
    return describe(scene, None)


def training_caption(scene: Scene, rng: np.random.Generator) -> str:
    """A caption for one training step: usually a random description, sometimes empty (for guidance)."""
    return "" if rng.random() < CAPTION_DROPOUT else describe(scene, rng)
