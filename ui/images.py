"""Showing model images: always upscaled explicitly for display, always with alt text."""

import io
import warnings
from collections.abc import Sequence

import numpy as np
import streamlit as st
from PIL import Image

from genlab.diffusion.display import upscale
from genlab.provenance.inspect import MAX_PIXELS

_DECODABLE = ("PNG", "JPEG", "WEBP", "GIF", "TIFF", "AVIF")


def show(image: np.ndarray, alt: str, caption: str | None = None, size: int = 256, method: str = "nearest") -> None:
    # PNG: the default JPEG encoding smears the crisp pixels of a 32x32 image
    st.image(upscale(image, size, method), caption=caption, alt=alt, width=size, output_format="PNG")


def row(images: Sequence[np.ndarray], alts: Sequence[str], captions: Sequence[str] | None = None,
        size: int = 160, method: str = "nearest") -> None:
    """Images side by side, each in its own column with its own caption and alt text."""
    columns = st.columns(len(images))
    for i, (column, image) in enumerate(zip(columns, images, strict=True)):
        with column:
            show(image, alts[i], captions[i] if captions else None, size=size, method=method)


def decode(data: bytes, max_side: int = 512, max_pixels: int = MAX_PIXELS) -> Image.Image | None:
    """A display copy of ``data`` (RGB or RGBA, at most ``max_side`` pixels a side), or None when
    Pillow cannot decode it. Checks the declared size first: an upload may be a decompression bomb."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data), formats=_DECODABLE) as im:
                if im.width * im.height > max_pixels:
                    return None
                im.draft("RGB", (max_side, max_side))  # JPEG decodes at a reduced scale: fast and small
                shown = im.convert("RGBA" if "A" in im.getbands() or "transparency" in im.info else "RGB")
    except Exception:  # a hostile or damaged file simply has no preview
        return None
    shown.thumbnail((max_side, max_side))
    return shown
