"""Draw a scene as an RGB image.

Shapes are drawn at 4x the target resolution and box-filtered down, so edges are anti-aliased like
a real photo's rather than hard pixel stairs; that makes the model's job look like the real one.
"""

import math

import numpy as np
from PIL import Image, ImageDraw

from genlab.toyworld.scene import Scene, Thing
from genlab.toyworld.vocab import BACKGROUNDS, COLOURS

SUPERSAMPLE = 4

#: Centre of a single thing, as a fraction of the frame.
_CENTRES = {
    "center": (0.5, 0.5),
    "left": (0.27, 0.5),
    "right": (0.73, 0.5),
    "top": (0.5, 0.27),
    "bottom": (0.5, 0.73),
}
#: Half-width of a thing, as a fraction of the frame.
_RADIUS = {"small": 0.15, "large": 0.24}


def _outline(shape: str, cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    """Polygon points of a shape centred on (cx, cy) with half-width r (pixels)."""
    if shape == "circle":
        n = 48
        return [(cx + r * math.cos(2 * math.pi * k / n), cy + r * math.sin(2 * math.pi * k / n))
                for k in range(n)]
    if shape == "square":
        s = r * 0.85
        return [(cx - s, cy - s), (cx + s, cy - s), (cx + s, cy + s), (cx - s, cy + s)]
    if shape == "triangle":
        return [(cx, cy - r), (cx + r, cy + r * 0.8), (cx - r, cy + r * 0.8)]
    if shape == "diamond":
        return [(cx, cy - r), (cx + r * 0.65, cy), (cx, cy + r), (cx - r * 0.65, cy)]
    if shape == "star":
        pts = []
        for k in range(10):
            rad = r if k % 2 == 0 else r * 0.42
            a = -math.pi / 2 + k * math.pi / 5
            pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a) + r * 0.08))
        return pts
    if shape == "heart":
        pts = []
        for k in range(64):
            t = 2 * math.pi * k / 64
            x = 16 * math.sin(t) ** 3
            y = 13 * math.cos(t) - 5 * math.cos(2 * t) - 2 * math.cos(3 * t) - math.cos(4 * t)
            pts.append((cx + r * x / 16.5, cy - r * (y + 2.5) / 16.5))
        return pts
    raise ValueError(f"unknown shape {shape!r}")


def _places(scene: Scene) -> list[tuple[Thing, float, float, float]]:
    """(thing, cx, cy, r) in frame fractions for every thing in the scene."""
    if scene.layout == "two":
        r = _RADIUS["small"]
        return [(scene.main, 0.27, 0.5, r), (scene.main, 0.73, 0.5, r)]
    if scene.layout == "above":
        r = _RADIUS["small"]
        return [(scene.things[0], 0.5, 0.25, r), (scene.things[1], 0.5, 0.75, r)]
    cx, cy = _CENTRES[scene.position]
    return [(scene.main, cx, cy, _RADIUS[scene.main.size])]


def render(scene: Scene, size: int = 32, rng: np.random.Generator | None = None) -> np.ndarray:
    """Render ``scene`` to a ``size`` x ``size`` x 3 uint8 array.

    With ``rng``, positions, sizes and colours are jittered slightly, so training data is varied
    the way real photos are, while staying true to the caption.
    """
    big = size * SUPERSAMPLE
    canvas = Image.new("RGB", (big, big), BACKGROUNDS[scene.background])
    draw = ImageDraw.Draw(canvas)
    for thing, cx, cy, r in _places(scene):
        colour = COLOURS[thing.colour]
        if rng is not None:
            cx += rng.uniform(-0.03, 0.03)
            cy += rng.uniform(-0.03, 0.03)
            r *= rng.uniform(0.9, 1.1)
            colour = tuple(int(np.clip(c + rng.integers(-12, 13), 0, 255)) for c in colour)
        draw.polygon(_outline(thing.shape, cx * big, cy * big, r * big), fill=colour)
    return np.asarray(canvas.resize((size, size), Image.Resampling.BOX))
