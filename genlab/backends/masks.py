"""Edit masks: which pixels an edit may change, decided here and nowhere else.

A mask is a PNG the size of the image. Its alpha channel marks the area to change, as in the OpenAI
images API: transparent means "change here", opaque means "keep". The one rule every part of the app
applies (the local model's inpainting, the magenta overlay the studio draws, a painted mask, the code
sample) is :data:`CHANGE_BELOW`: a pixel whose alpha is below it is changed. The masks this module makes
are fully transparent (alpha 0) where they change, so the services, which edit fully transparent
pixels, read them the same way.
"""

import io

import numpy as np
from PIL import Image

#: A mask pixel whose alpha is below this is part of the area to change.
CHANGE_BELOW = 128

#: The named areas the studio offers, as boxes in fractions of the width and height (left, top, right, bottom).
REGIONS: dict[str, tuple[float, float, float, float]] = {
    "left half": (0, 0, 0.5, 1), "right half": (0.5, 0, 1, 1), "top half": (0, 0, 1, 0.5),
    "bottom half": (0, 0.5, 1, 1), "centre": (0.25, 0.25, 0.75, 0.75),
}


def change_area(alpha: np.ndarray) -> np.ndarray:
    """True where a mask's alpha channel (0-255) says "change here"."""
    return np.asarray(alpha) < CHANGE_BELOW


def mask_area(mask: bytes, size: tuple[int, int] | None = None) -> np.ndarray | None:
    """The area to change of a PNG mask, as a boolean array (rows, columns); None if it cannot be read.

    ``size`` (width, height) first shrinks the alpha channel by averaging (the local model's own size), so a
    pixel changes when most of what it covers is transparent."""
    try:
        with Image.open(io.BytesIO(mask)) as m:
            alpha = m.convert("RGBA").getchannel("A")
            if size is not None and alpha.size != size:
                alpha = alpha.resize(size, Image.Resampling.BOX)
            return change_area(np.asarray(alpha))
    except Exception:  # a broken upload: validation says why in a sentence
        return None


def mask_png(area: np.ndarray) -> bytes:
    """A PNG mask from an area (True = change): fully transparent there, opaque black elsewhere."""
    area = np.asarray(area, dtype=bool)
    alpha = np.where(area, 0, 255).astype(np.uint8)
    rgba = np.zeros((*area.shape, 4), dtype=np.uint8)
    rgba[..., 3] = alpha
    buffer = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(buffer, format="PNG")
    return buffer.getvalue()


def region_area(size: tuple[int, int], region: str) -> np.ndarray:
    """The named region of an image of ``size`` (width, height) as an area (True = change)."""
    w, h = size
    left, top, right, bottom = REGIONS[region]
    area = np.zeros((h, w), dtype=bool)
    area[round(top * h):round(bottom * h), round(left * w):round(right * w)] = True
    return area


def painted_area(strokes: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """The area a learner painted, at the image's ``size`` (width, height).

    ``strokes`` is the drawing layer (RGBA, any size, usually the enlarged display): a pixel of it is
    paint wherever it is not fully transparent. Shrunk to the image by averaging, an image pixel is in
    the area when at least half of it was painted: the same threshold as :data:`CHANGE_BELOW`, read as
    the alpha of a mask that is transparent where the paint is."""
    paint = (np.asarray(strokes)[..., 3] > 0).astype(np.uint8) * 255
    coverage = Image.fromarray(paint, "L")
    if coverage.size != size:
        coverage = coverage.resize(size, Image.Resampling.BOX)
    return change_area(255 - np.asarray(coverage, dtype=np.int32))
