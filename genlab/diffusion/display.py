"""Display upscaling: a separate, explicit step, so the model's original pixels are never replaced.

64x64 is tiny on a projector. "nearest" shows the real pixels as crisp squares (honest: this is what
the model made); "bicubic" smooths them (pleasant, but the smoothness is invented by the resize).
"""

import io

import numpy as np
from PIL import Image

METHODS = {"nearest": Image.Resampling.NEAREST, "bicubic": Image.Resampling.BICUBIC}


def upscale(image: np.ndarray, size: int = 256, method: str = "nearest") -> np.ndarray:
    """A display copy of ``image`` at ``size`` x ``size`` pixels."""
    return np.asarray(Image.fromarray(image).resize((size, size), METHODS[method]))


def png_bytes(image: np.ndarray) -> bytes:
    """Lossless PNG of an image (original pixels, nothing added)."""
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, format="PNG")
    return buffer.getvalue()


def animation(frames: list[np.ndarray], size: int = 256, ms_per_frame: int = 180) -> bytes:
    """An animated GIF of ``frames`` (upscaled with "nearest"), holding the last frame longer."""
    images = [Image.fromarray(upscale(f, size)) for f in frames]
    durations = [ms_per_frame] * (len(images) - 1) + [1500]
    buffer = io.BytesIO()
    images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:], duration=durations, loop=0)
    return buffer.getvalue()
