"""The four drawing styles, as passes over a flat drawing.

Each style changes the whole picture in a way a person names at a glance, and in a way that survives
the trip through the autoencoder: watercolour is pale, soft-edged and blotchy on grainy paper; pixel
art is 21x21 blocks in a small palette; a pencil sketch is dark strokes and hatching on paper with a
light wash of colour; flat is the drawing as it is.
"""

import numpy as np
from PIL import Image, ImageFilter


def _watercolour(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    x = img.astype(np.float32) / 255.0
    h, w, _ = x.shape
    blotch = np.asarray(Image.fromarray((rng.random((8, 8)) * 255).astype(np.uint8)).resize(
        (w, h), Image.Resampling.BICUBIC), dtype=np.float32) / 255.0
    density = 0.55 + 0.35 * blotch[..., None]                      # uneven pigment
    paper = np.array([0.98, 0.96, 0.91], dtype=np.float32)
    washed = paper * (1 - density * (1 - x))                         # pigment multiplies paper
    grain = rng.normal(0.0, 0.015, (h, w, 1)).astype(np.float32)
    return np.clip((washed + grain) * 255.0, 0, 255).astype(np.uint8)


def _pixel_art(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    h, w, _ = img.shape
    small = np.asarray(Image.fromarray(img).resize((w // 3, h // 3), Image.Resampling.BOX), dtype=np.int32)
    levels = 6  # a small palette: 6 levels per channel; blocks of about 3x3 pixels
    small = (np.round(small / 255.0 * (levels - 1)) * (255 // (levels - 1))).clip(0, 255).astype(np.uint8)
    return np.asarray(Image.fromarray(small).resize((w, h), Image.Resampling.NEAREST))


def _pencil_sketch(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    h, w, _ = img.shape
    pil = Image.fromarray(img)
    edges = np.asarray(pil.filter(ImageFilter.FIND_EDGES).convert("L"), dtype=np.float32) / 255.0
    edges = np.clip(edges * 2.2, 0, 1)
    yy, xx = np.mgrid[0:h, 0:w]
    hatch = ((xx + yy + int(rng.integers(0, 4))) % 4 == 0).astype(np.float32)
    lum = np.asarray(pil.convert("L"), dtype=np.float32) / 255.0
    shade = hatch * (1 - lum) * 0.5                                   # darker areas get more hatching
    x = img.astype(np.float32) / 255.0
    paper = np.array([0.97, 0.96, 0.93], dtype=np.float32)
    wash = paper * (1 - 0.5 * (1 - x))                              # a light wash of the colours
    graphite = np.clip(edges + shade, 0, 1)[..., None]
    out = wash * (1 - 0.8 * graphite) + 0.25 * 0.8 * graphite * np.array([0.3, 0.3, 0.32], dtype=np.float32)
    out += rng.normal(0.0, 0.012, (h, w, 1)).astype(np.float32)
    return np.clip(out * 255.0, 0, 255).astype(np.uint8)


_STYLES = {
    "flat": lambda img, rng: img,
    "watercolour": _watercolour,
    "pixel art": _pixel_art,
    "pencil sketch": _pencil_sketch,
}


def apply_style(img: np.ndarray, style: str, rng: np.random.Generator) -> np.ndarray:
    """Return ``img`` (H x W x 3 uint8) drawn in ``style``."""
    if style not in _STYLES:
        raise ValueError(f"unknown style {style!r}")
    return _STYLES[style](img, rng)
