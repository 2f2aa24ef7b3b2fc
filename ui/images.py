"""Showing model images: always upscaled explicitly for display, always with alt text."""

from collections.abc import Sequence

import numpy as np
import streamlit as st
from PIL import Image

from genlab.diffusion.display import upscale
from genlab.images import MAX_PIXELS, display_copy


def show(image: np.ndarray, alt: str, caption: str | None = None, size: int = 256, method: str = "nearest") -> None:
    # PNG: the default JPEG encoding smears the crisp pixels of a small model image
    st.image(upscale(image, size, method), caption=caption, alt=alt, width=size, output_format="PNG")


def row(images: Sequence[np.ndarray], alts: Sequence[str], captions: Sequence[str] | None = None,
        size: int = 160, method: str = "nearest") -> None:
    """Images side by side, each in its own column with its own caption and alt text."""
    columns = st.columns(len(images))
    for i, (column, image) in enumerate(zip(columns, images, strict=True)):
        with column:
            show(image, alts[i], captions[i] if captions else None, size=size, method=method)


def decode(data: bytes, max_side: int = 512, max_pixels: int = MAX_PIXELS) -> Image.Image | None:
    """A display copy of ``data``, or None (no preview) when it is not an image the engine opens."""
    return display_copy(data, max_side, max_pixels)
