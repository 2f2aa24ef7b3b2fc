"""Which image format some bytes are, decided from the bytes themselves.

A file name or an upload's declared type is whatever the sender chose; the magic numbers at the
start of the file are what c2pa and Pillow will actually parse. So both signing and inspecting
sniff, and never trust an extension.
"""

from genlab.errors import LearnerError


class ProvenanceError(LearnerError, ValueError):
    """An image that cannot be signed or tampered with as asked; the sentence says why and what to do."""


#: MIME type -> what a learner calls it.
FORMAT_NAMES = {
    "image/png": "PNG", "image/jpeg": "JPEG", "image/webp": "WebP", "image/gif": "GIF",
    "image/tiff": "TIFF", "image/avif": "AVIF", "image/heic": "HEIC", "image/heif": "HEIF",
}

_HEIC_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis"}
_HEIF_BRANDS = {b"mif1", b"msf1"}


def sniff_mime(data: bytes) -> str | None:
    """The image MIME type of ``data`` from its signature, or None for anything else."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if data[4:8] == b"ftyp":
        brand = data[8:12]
        if brand in (b"avif", b"avis"):
            return "image/avif"
        if brand in _HEIC_BRANDS:
            return "image/heic"
        if brand in _HEIF_BRANDS:
            return "image/heif"
    return None
