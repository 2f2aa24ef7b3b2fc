"""One pixel limit for every decoder: a header that declares too much is never decoded."""

import io
import struct
import zlib

from PIL import Image

from genlab import images
from genlab.backends.limits import validate
from genlab.backends.types import ImageRequest


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares ``width`` x ``height`` (a decompression bomb's shape)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 16)) + chunk(b"IEND", b"")


def real_png(size: tuple[int, int] = (40, 30)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGBA", size, (10, 20, 30, 255)).save(buf, "PNG")
    return buf.getvalue()


def test_a_header_over_the_limit_is_refused_before_decoding() -> None:
    side = int(images.MAX_PIXELS ** 0.5) + 1
    bomb = png_declaring(side, side)
    assert images.open_header(bomb).size == (side, side)  # the header alone is cheap to read
    assert images.too_many_pixels((side, side)) and not images.too_many_pixels((side - 1, side - 2))
    assert images.display_copy(bomb) is None


def test_display_copy_of_a_real_image_and_of_junk() -> None:
    shown = images.display_copy(real_png((800, 600)), max_side=200)
    assert shown is not None and shown.size == (200, 150) and shown.mode == "RGBA"
    assert images.display_copy(b"not an image") is None and images.open_header(b"") is None


def test_the_studio_checks_say_the_limit_for_a_huge_upload() -> None:
    side = int(images.MAX_PIXELS ** 0.5) + 1
    request = ImageRequest(prompt="a cat", images=[png_declaring(side, side)])
    problems = validate(request, "openai", "gpt-image-1.5", "edit")
    assert any(f"{side}x{side} pixels, more than the 50 million this app opens" in p for p in problems), problems
