"""Opening image bytes that came from outside (an upload, a service's answer): one pixel limit for all.

Every decoder in the app checks the size an image *declares* in its header against :data:`MAX_PIXELS`
before decoding a pixel, because a few kilobytes can declare a picture that fills the memory
(a decompression bomb). Pillow's own guard warns at about 89 million pixels and refuses at twice that;
this limit is lower, and the same for the viewer, the studio's checks, the service answers and the
previews, so no door is wider than another.
"""

import io
import warnings
from collections.abc import Sequence

from PIL import Image

#: The most pixels any image may declare to be opened (50 million: about 8660 x 5770).
MAX_PIXELS = 50_000_000


def too_many_pixels(size: tuple[int, int], max_pixels: int = MAX_PIXELS) -> bool:
    width, height = size
    return width * height > max_pixels


def open_header(data: bytes, formats: Sequence[str] | None = None) -> Image.Image | None:
    """The image with only its header read (Pillow opens lazily), or None when the bytes are not an image
    in one of ``formats`` (any format Pillow knows when None) or declare more pixels than even Pillow opens.

    Callers compare the size with :func:`too_many_pixels` before touching the pixels.
    """
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's bomb and corrupt-EXIF warnings: the size check decides
            return Image.open(io.BytesIO(data), formats=formats)
    except Exception:  # any failure to parse a hostile header means "not an image we can open"
        return None


def display_copy(data: bytes, max_side: int = 512, max_pixels: int = MAX_PIXELS,
                 formats: Sequence[str] = ("PNG", "JPEG", "WEBP", "GIF", "TIFF", "AVIF")) -> Image.Image | None:
    """A copy of ``data`` to show (RGB or RGBA, at most ``max_side`` pixels a side), or None when it is not
    a decodable image within ``max_pixels``."""
    im = open_header(data, formats)
    if im is None or too_many_pixels(im.size, max_pixels):
        return None
    try:
        with warnings.catch_warnings(), im:
            warnings.simplefilter("ignore")
            im.draft("RGB", (max_side, max_side))  # JPEG decodes at a reduced scale: fast and small
            shown = im.convert("RGBA" if "A" in im.getbands() or "transparency" in im.info else "RGB")
    except Exception:  # a damaged file simply has no preview
        return None
    shown.thumbnail((max_side, max_side))
    return shown
