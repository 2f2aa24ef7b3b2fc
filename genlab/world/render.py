"""Draw a scene of the illustrated world as a 64x64 RGB picture.

Everything is drawn with PIL polygons and ellipses on a canvas four times the target size, then
box-filtered down, so edges are anti-aliased. The style (flat, watercolour, pixel art, pencil
sketch) is a second pass over the flat drawing, the way a style is a property of the whole picture
rather than of one object. With ``rng``, positions, sizes and colours are jittered so training
pictures vary the way real ones do while staying true to their caption.
"""

import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from genlab.world.scene import Scene, Subject
from genlab.world.styles import apply_style
from genlab.world.vocab import COLOURS

SIZE = 64
SUPERSAMPLE = 4
#: Half-width of a subject as a fraction of the frame.
_SCALE = {"small": 0.17, "large": 0.27}
_X = {"left": 0.27, "center": 0.5, "right": 0.73}
#: Where the ground starts, per scene (fraction of the frame from the top); subjects stand on it.
_HORIZON = {"plain": 0.72, "park": 0.58, "beach": 0.62, "night sky": 0.78, "mars": 0.55}

Colour = tuple[int, int, int]


@dataclass
class _Pen:
    """Drawing helpers in frame units (0..1), so subject code reads like a sketch."""

    draw: ImageDraw.ImageDraw
    px: int

    def ellipse(self, cx: float, cy: float, rx: float, ry: float, fill: Colour, outline: Colour | None = None,
                width: float = 0.012) -> None:
        p = self.px
        self.draw.ellipse([(cx - rx) * p, (cy - ry) * p, (cx + rx) * p, (cy + ry) * p], fill=fill,
                          outline=outline, width=max(1, round(width * p)) if outline else 0)

    def poly(self, pts: list[tuple[float, float]], fill: Colour, outline: Colour | None = None,
             width: float = 0.012) -> None:
        p = self.px
        self.draw.polygon([(x * p, y * p) for x, y in pts], fill=fill, outline=outline,
                          width=max(1, round(width * p)) if outline else 0)

    def line(self, pts: list[tuple[float, float]], fill: Colour, width: float) -> None:
        p = self.px
        self.draw.line([(x * p, y * p) for x, y in pts], fill=fill, width=max(1, round(width * p)),
                       joint="curve")

    def rect(self, x0: float, y0: float, x1: float, y1: float, fill: Colour, outline: Colour | None = None,
             width: float = 0.012) -> None:
        self.poly([(x0, y0), (x1, y0), (x1, y1), (x0, y1)], fill, outline, width)


def _shade(c: Colour, f: float) -> Colour:
    """Darker (f < 1) or lighter (f > 1, towards white) version of a colour."""
    if f <= 1:
        return tuple(int(v * f) for v in c)  # type: ignore[return-value]
    return tuple(int(v + (255 - v) * (f - 1)) for v in c)  # type: ignore[return-value]


def _ink(c: Colour) -> Colour:
    """Outline colour for a fill: dark for light fills, a bit lighter for very dark ones."""
    return (90, 90, 96) if sum(c) < 150 else _shade(c, 0.45)


# ---------------------------------------------------------------- scenes

def _draw_scene(pen: _Pen, scene: str, rng: np.random.Generator) -> None:
    h = _HORIZON[scene]
    if scene == "plain":
        pen.rect(0, 0, 1, 1, (246, 244, 238))
        pen.rect(0, h + 0.12, 1, 1, (232, 229, 220))
    elif scene == "park":
        pen.rect(0, 0, 1, 1, (150, 204, 242))
        pen.rect(0, h, 1, 1, (96, 176, 74))
        for x in (0.08, 0.9):
            pen.ellipse(x, h, 0.11, 0.07, (58, 128, 52))
        pen.ellipse(0.86, 0.12, 0.06, 0.06, (255, 226, 90))
        for _ in range(6):
            x, y = rng.uniform(0.05, 0.95), rng.uniform(h + 0.08, 0.97)
            pen.line([(x, y), (x + 0.01, y - 0.03)], (70, 140, 56), 0.008)
    elif scene == "beach":
        pen.rect(0, 0, 1, 1, (166, 214, 246))
        pen.rect(0, h - 0.14, 1, h + 0.02, (42, 118, 196))
        pen.rect(0, h + 0.02, 1, 1, (236, 212, 152))
        for x in (0.15, 0.5, 0.8):
            pen.line([(x, h - 0.08), (x + 0.06, h - 0.08)], (220, 236, 250), 0.01)
    elif scene == "night sky":
        pen.rect(0, 0, 1, 1, (16, 22, 62))
        pen.rect(0, h, 1, 1, (30, 36, 70))
        for _ in range(14):
            x, y = rng.uniform(0.02, 0.98), rng.uniform(0.02, h - 0.05)
            pen.ellipse(x, y, 0.008, 0.008, (250, 250, 220))
        pen.ellipse(0.84, 0.14, 0.08, 0.08, (246, 236, 160))
        pen.ellipse(0.88, 0.11, 0.07, 0.07, (16, 22, 62))
    elif scene == "mars":
        pen.rect(0, 0, 1, 1, (70, 34, 30))
        pen.rect(0, h, 1, 1, (196, 84, 42))
        for _ in range(4):
            x, y = rng.uniform(0.05, 0.95), rng.uniform(h + 0.06, 0.95)
            pen.ellipse(x, y, 0.06, 0.02, (150, 58, 30))
        pen.ellipse(0.16, 0.14, 0.035, 0.035, (230, 200, 180))
    else:
        raise ValueError(f"unknown scene {scene!r}")


# ---------------------------------------------------------------- subjects
# Each subject is drawn around (cx, cy) with half-width s and returns its head (x, y, r) if it has one,
# so accessories know where to go. Animals face right.

def _cat(pen: _Pen, cx: float, cy: float, s: float, fill: Colour, body: Colour) -> tuple[float, float, float]:
    ink = _ink(fill)
    pen.line([(cx - 0.55 * s, cy + 0.2 * s), (cx - 0.85 * s, cy - 0.1 * s), (cx - 0.75 * s, cy - 0.45 * s)],
             _ink(body), 0.16 * s + 0.01)
    pen.line([(cx - 0.55 * s, cy + 0.2 * s), (cx - 0.85 * s, cy - 0.1 * s), (cx - 0.75 * s, cy - 0.45 * s)],
             body, 0.16 * s)
    for dx in (-0.4, -0.15, 0.15, 0.38):
        pen.rect(cx + dx * s - 0.06 * s, cy + 0.3 * s, cx + dx * s + 0.06 * s, cy + 0.75 * s, body, _ink(body))
    pen.ellipse(cx - 0.05 * s, cy + 0.22 * s, 0.55 * s, 0.3 * s, body, _ink(body))
    hx, hy, hr = cx + 0.5 * s, cy - 0.22 * s, 0.34 * s
    for side in (-1, 1):
        pen.poly([(hx + side * 0.3 * hr, hy - 0.7 * hr), (hx + side * 0.95 * hr, hy - 1.35 * hr),
                  (hx + side * 0.9 * hr, hy - 0.25 * hr)], fill, ink)
    pen.ellipse(hx, hy, hr, hr * 0.9, fill, ink)
    for side in (-1, 1):
        pen.ellipse(hx + side * 0.38 * hr, hy - 0.1 * hr, 0.12 * hr, 0.16 * hr, (40, 160, 60))
    pen.ellipse(hx, hy + 0.3 * hr, 0.1 * hr, 0.08 * hr, (230, 120, 140))
    return hx, hy, hr


def _dog(pen: _Pen, cx: float, cy: float, s: float, fill: Colour, body: Colour) -> tuple[float, float, float]:
    ink = _ink(fill)
    pen.line([(cx - 0.55 * s, cy + 0.05 * s), (cx - 0.8 * s, cy - 0.3 * s)], body, 0.14 * s)
    for dx in (-0.42, -0.18, 0.15, 0.38):
        pen.rect(cx + dx * s - 0.08 * s, cy + 0.25 * s, cx + dx * s + 0.08 * s, cy + 0.78 * s, body, _ink(body))
    pen.ellipse(cx - 0.05 * s, cy + 0.15 * s, 0.6 * s, 0.32 * s, body, _ink(body))
    hx, hy, hr = cx + 0.52 * s, cy - 0.28 * s, 0.32 * s
    pen.ellipse(hx + 0.55 * hr, hy + 0.35 * hr, 0.55 * hr, 0.38 * hr, fill, ink)   # snout
    pen.ellipse(hx, hy, hr, hr, fill, ink)
    pen.ellipse(hx - 0.75 * hr, hy + 0.35 * hr, 0.35 * hr, 0.75 * hr, _shade(fill, 0.6), ink)  # ear
    pen.ellipse(hx + 1.05 * hr, hy + 0.25 * hr, 0.16 * hr, 0.13 * hr, (30, 30, 30))  # nose
    pen.ellipse(hx + 0.3 * hr, hy - 0.2 * hr, 0.12 * hr, 0.14 * hr, (30, 30, 30))
    return hx, hy, hr


def _bird(pen: _Pen, cx: float, cy: float, s: float, fill: Colour, body: Colour) -> tuple[float, float, float]:
    ink = _ink(fill)
    for dx in (-0.1, 0.12):
        pen.line([(cx + dx * s, cy + 0.3 * s), (cx + dx * s, cy + 0.7 * s)], (200, 130, 40), 0.05 * s)
    pen.poly([(cx - 0.5 * s, cy), (cx - 0.95 * s, cy - 0.2 * s), (cx - 0.9 * s, cy + 0.25 * s)], body, _ink(body))
    pen.ellipse(cx - 0.05 * s, cy + 0.02 * s, 0.52 * s, 0.36 * s, body, _ink(body))
    pen.ellipse(cx - 0.1 * s, cy - 0.02 * s, 0.3 * s, 0.18 * s, _shade(body, 0.7))  # wing
    hx, hy, hr = cx + 0.42 * s, cy - 0.32 * s, 0.27 * s
    pen.poly([(hx + 0.8 * hr, hy - 0.2 * hr), (hx + 1.7 * hr, hy + 0.1 * hr), (hx + 0.8 * hr, hy + 0.4 * hr)],
             (246, 166, 36), (150, 90, 20))
    pen.ellipse(hx, hy, hr, hr, fill, ink)
    pen.ellipse(hx + 0.35 * hr, hy - 0.15 * hr, 0.14 * hr, 0.14 * hr, (20, 20, 20))
    return hx, hy, hr


def _fish(pen: _Pen, cx: float, cy: float, s: float, fill: Colour, body: Colour) -> None:
    ink = _ink(fill)
    pen.poly([(cx - 0.45 * s, cy), (cx - 0.95 * s, cy - 0.4 * s), (cx - 0.95 * s, cy + 0.4 * s)], fill, ink)
    pen.poly([(cx - 0.1 * s, cy - 0.3 * s), (cx + 0.2 * s, cy - 0.62 * s), (cx + 0.3 * s, cy - 0.3 * s)],
             _shade(fill, 0.7), ink)
    pen.ellipse(cx + 0.05 * s, cy, 0.6 * s, 0.36 * s, fill, ink)
    pen.ellipse(cx + 0.4 * s, cy - 0.08 * s, 0.08 * s, 0.08 * s, (20, 20, 20))
    pen.line([(cx + 0.2 * s, cy - 0.2 * s), (cx + 0.14 * s, cy + 0.2 * s)], ink, 0.03 * s)


def _house(pen: _Pen, cx: float, cy: float, s: float, fill: Colour, body: Colour) -> None:
    ink = _ink(fill)
    pen.rect(cx - 0.62 * s, cy - 0.2 * s, cx + 0.62 * s, cy + 0.75 * s, fill, ink)
    pen.poly([(cx - 0.8 * s, cy - 0.18 * s), (cx, cy - 0.85 * s), (cx + 0.8 * s, cy - 0.18 * s)],
             (150, 60, 48), (90, 36, 30))
    pen.rect(cx - 0.14 * s, cy + 0.3 * s, cx + 0.14 * s, cy + 0.75 * s, (90, 56, 32))
    for dx in (-0.4, 0.4):
        pen.rect(cx + dx * s - 0.13 * s, cy, cx + dx * s + 0.13 * s, cy + 0.25 * s, (180, 224, 250), ink)


def _tree(pen: _Pen, cx: float, cy: float, s: float, fill: Colour, body: Colour) -> None:
    pen.rect(cx - 0.1 * s, cy + 0.1 * s, cx + 0.1 * s, cy + 0.8 * s, (110, 70, 36), (70, 44, 22))
    ink = _ink(fill)
    for dx, dy, r in ((-0.3, 0.0, 0.38), (0.3, 0.0, 0.38), (0.0, -0.35, 0.45)):
        pen.ellipse(cx + dx * s, cy + dy * s, r * s, r * s, fill, ink)
    pen.ellipse(cx, cy - 0.1 * s, 0.4 * s, 0.35 * s, fill)


def _flower(pen: _Pen, cx: float, cy: float, s: float, fill: Colour, body: Colour) -> None:
    pen.line([(cx, cy), (cx, cy + 0.8 * s)], (60, 140, 50), 0.08 * s)
    pen.ellipse(cx + 0.18 * s, cy + 0.45 * s, 0.18 * s, 0.08 * s, (60, 140, 50))
    ink = _ink(fill)
    for k in range(6):
        a = k * math.pi / 3
        pen.ellipse(cx + 0.3 * s * math.cos(a), cy - 0.2 * s + 0.3 * s * math.sin(a), 0.2 * s, 0.2 * s, fill, ink)
    centre = (120, 70, 20) if fill == COLOURS["yellow"] else (250, 210, 50)
    pen.ellipse(cx, cy - 0.2 * s, 0.16 * s, 0.16 * s, centre)


def _car(pen: _Pen, cx: float, cy: float, s: float, fill: Colour, body: Colour) -> None:
    ink = _ink(fill)
    pen.poly([(cx - 0.45 * s, cy - 0.05 * s), (cx - 0.3 * s, cy - 0.42 * s), (cx + 0.3 * s, cy - 0.42 * s),
              (cx + 0.5 * s, cy - 0.05 * s)], fill, ink)
    pen.poly([(cx - 0.32 * s, cy - 0.08 * s), (cx - 0.22 * s, cy - 0.34 * s), (cx + 0.22 * s, cy - 0.34 * s),
              (cx + 0.36 * s, cy - 0.08 * s)], (180, 224, 250))
    pen.rect(cx - 0.9 * s, cy - 0.08 * s, cx + 0.9 * s, cy + 0.35 * s, fill, ink)
    for dx in (-0.5, 0.5):
        pen.ellipse(cx + dx * s, cy + 0.38 * s, 0.2 * s, 0.2 * s, (30, 30, 32))
        pen.ellipse(cx + dx * s, cy + 0.38 * s, 0.08 * s, 0.08 * s, (170, 170, 176))
    pen.ellipse(cx + 0.84 * s, cy + 0.05 * s, 0.05 * s, 0.05 * s, (255, 236, 150))


def _boat(pen: _Pen, cx: float, cy: float, s: float, fill: Colour, body: Colour) -> None:
    pen.line([(cx, cy + 0.1 * s), (cx, cy - 0.85 * s)], (90, 60, 40), 0.05 * s)
    pen.poly([(cx + 0.04 * s, cy - 0.8 * s), (cx + 0.6 * s, cy - 0.05 * s), (cx + 0.04 * s, cy - 0.05 * s)],
             (250, 250, 250), (150, 150, 150))
    pen.poly([(cx - 0.04 * s, cy - 0.6 * s), (cx - 0.45 * s, cy - 0.05 * s), (cx - 0.04 * s, cy - 0.05 * s)],
             (236, 236, 236), (150, 150, 150))
    ink = _ink(fill)
    pen.poly([(cx - 0.9 * s, cy), (cx + 0.9 * s, cy), (cx + 0.6 * s, cy + 0.4 * s), (cx - 0.6 * s, cy + 0.4 * s)],
             fill, ink)


def _shape(kind: str):
    def draw(pen: _Pen, cx: float, cy: float, s: float, fill: Colour, body: Colour) -> None:
        ink = _ink(fill)
        r = 0.8 * s
        if kind == "circle":
            pen.ellipse(cx, cy, r, r, fill, ink)
        elif kind == "square":
            pen.rect(cx - 0.72 * r, cy - 0.72 * r, cx + 0.72 * r, cy + 0.72 * r, fill, ink)
        elif kind == "triangle":
            pen.poly([(cx, cy - r), (cx + r, cy + 0.75 * r), (cx - r, cy + 0.75 * r)], fill, ink)
        else:
            pts = []
            for k in range(10):
                rad = r if k % 2 == 0 else r * 0.45
                a = -math.pi / 2 + k * math.pi / 5
                pts.append((cx + rad * math.cos(a), cy + rad * math.sin(a) + r * 0.08))
            pen.poly(pts, fill, ink)
    return draw


_DRAW = {"cat": _cat, "dog": _dog, "bird": _bird, "fish": _fish, "house": _house, "tree": _tree,
         "flower": _flower, "car": _car, "boat": _boat,
         **{k: _shape(k) for k in ("circle", "square", "triangle", "star")}}


# ---------------------------------------------------------------- accessories and textures

def _accessory(pen: _Pen, kind: str, hx: float, hy: float, hr: float) -> None:
    if kind == "top hat":
        pen.rect(hx - 0.75 * hr, hy - 0.95 * hr, hx + 0.75 * hr, hy - 0.75 * hr, (20, 20, 24), (60, 60, 66))
        pen.rect(hx - 0.45 * hr, hy - 1.85 * hr, hx + 0.45 * hr, hy - 0.85 * hr, (20, 20, 24), (60, 60, 66))
        pen.rect(hx - 0.45 * hr, hy - 1.1 * hr, hx + 0.45 * hr, hy - 0.92 * hr, (200, 30, 40))
    elif kind == "crown":
        pts = [(hx - 0.6 * hr, hy - 0.7 * hr), (hx - 0.6 * hr, hy - 1.45 * hr), (hx - 0.3 * hr, hy - 1.0 * hr),
               (hx, hy - 1.55 * hr), (hx + 0.3 * hr, hy - 1.0 * hr), (hx + 0.6 * hr, hy - 1.45 * hr),
               (hx + 0.6 * hr, hy - 0.7 * hr)]
        pen.poly(pts, (250, 200, 30), (150, 110, 10))
    elif kind == "glasses":
        for dx in (-0.38, 0.38):
            pen.ellipse(hx + dx * hr, hy - 0.1 * hr, 0.3 * hr, 0.3 * hr, (210, 236, 250), (10, 10, 10), 0.018)
        pen.line([(hx - 0.1 * hr, hy - 0.12 * hr), (hx + 0.1 * hr, hy - 0.12 * hr)], (10, 10, 10), 0.016)
    elif kind == "scarf":
        teal, white = (0, 150, 160), (240, 240, 240)
        pen.ellipse(hx - 0.1 * hr, hy + 0.95 * hr, 0.85 * hr, 0.3 * hr, teal, (0, 80, 90))
        pen.rect(hx - 0.6 * hr, hy + 1.0 * hr, hx - 0.25 * hr, hy + 2.0 * hr, teal, (0, 80, 90))
        pen.rect(hx - 0.6 * hr, hy + 1.45 * hr, hx - 0.25 * hr, hy + 1.6 * hr, white)
        pen.rect(hx - 0.3 * hr, hy + 0.8 * hr, hx - 0.15 * hr, hy + 1.1 * hr, white)
    elif kind == "spacesuit":
        pen.ellipse(hx, hy - 0.05 * hr, 1.45 * hr, 1.45 * hr, None, (236, 240, 246), 0.022)  # type: ignore[arg-type]
        pen.ellipse(hx - 0.6 * hr, hy - 0.75 * hr, 0.25 * hr, 0.15 * hr, (255, 255, 255))
    elif kind != "none":
        raise ValueError(f"unknown accessory {kind!r}")


def _fluff(pen: _Pen, cx: float, cy: float, s: float, fill: Colour, rng: np.random.Generator) -> None:
    """A spiky halo of fur around the body and head: the picture of "fluffy"."""
    ink = _ink(fill)
    body, head = (cx - 0.05 * s, cy + 0.2 * s, 0.62 * s, 0.36 * s), (cx + 0.5 * s, cy - 0.24 * s, 0.4 * s, 0.38 * s)
    for ex, ey, rx, ry in (body, head):
        pts = []
        for k in range(36):
            a = 2 * math.pi * k / 36
            grow = 1.28 if k % 2 == 0 else 1.0
            grow += rng.uniform(-0.04, 0.04)
            pts.append((ex + grow * rx * math.cos(a), ey + grow * ry * math.sin(a)))
        pen.poly(pts, _shade(fill, 1.25), ink)


def _shine(pen: _Pen, cx: float, cy: float, s: float) -> None:
    """A highlight and a sparkle: the picture of "shiny"."""
    pen.ellipse(cx - 0.2 * s, cy - 0.15 * s, 0.22 * s, 0.09 * s, (255, 255, 255))
    x, y, r = cx + 0.55 * s, cy - 0.55 * s, 0.18 * s
    pen.poly([(x, y - r), (x + 0.25 * r, y), (x, y + r), (x - 0.25 * r, y)], (255, 255, 230))
    pen.poly([(x - r, y), (x, y + 0.25 * r), (x + r, y), (x, y - 0.25 * r)], (255, 255, 230))


def _draw_subject(pen: _Pen, subject: Subject, cx: float, cy: float, s: float, rng: np.random.Generator,
                  jitter: bool) -> None:
    fill = COLOURS[subject.colour]
    if jitter:
        fill = tuple(int(np.clip(c + rng.integers(-10, 11), 0, 255)) for c in fill)  # type: ignore[assignment]
    body = (236, 238, 242) if subject.accessory == "spacesuit" else fill
    if subject.texture == "fluffy":
        _fluff(pen, cx, cy, s, body, rng)
    head = _DRAW[subject.kind](pen, cx, cy, s, fill, body)
    if subject.accessory == "spacesuit":
        pen.rect(cx - 0.62 * s, cy - 0.05 * s, cx - 0.38 * s, cy + 0.3 * s, (160, 164, 172), (90, 90, 96))
    if head is not None:
        _accessory(pen, subject.accessory, *head)
    if subject.texture == "shiny":
        _shine(pen, cx, cy, s)


def placements(scene: Scene) -> list[tuple[Subject, float, float, float]]:
    """(subject, cx, cy, half-width) in frame fractions for every subject of a scene."""
    ground = _HORIZON[scene.scene] + 0.08
    if scene.layout == "single":
        s = _SCALE[scene.size]
        return [(scene.main, _X[scene.position], min(ground, 0.95 - 0.8 * s) - 0.25 * s, s)]
    s = _SCALE["small"]
    if scene.layout == "and":
        return [(scene.subjects[0], 0.28, ground - 0.05, s), (scene.subjects[1], 0.72, ground - 0.05, s)]
    return [(scene.subjects[0], 0.5, 0.26, s), (scene.subjects[1], 0.5, min(ground, 0.95 - 0.8 * s), s)]


def render(scene: Scene, rng: np.random.Generator | None = None, size: int = SIZE) -> np.ndarray:
    """Render ``scene`` to a ``size`` x ``size`` x 3 uint8 array (jittered when ``rng`` is given)."""
    jitter = rng is not None
    rng = rng if rng is not None else np.random.default_rng(0)
    big = size * SUPERSAMPLE
    canvas = Image.new("RGB", (big, big))
    pen = _Pen(ImageDraw.Draw(canvas), big)
    _draw_scene(pen, scene.scene, rng)
    for subject, cx, cy, s in placements(scene):
        if jitter:
            cx += rng.uniform(-0.03, 0.03)
            cy += rng.uniform(-0.02, 0.02)
            s *= rng.uniform(0.92, 1.08)
        _draw_subject(pen, subject, cx, cy, s, rng, jitter)
    if scene.style == "watercolour":
        canvas = canvas.filter(ImageFilter.GaussianBlur(SUPERSAMPLE * 0.5))
    flat = np.asarray(canvas.resize((size, size), Image.Resampling.BOX))
    return apply_style(flat, scene.style, rng)
