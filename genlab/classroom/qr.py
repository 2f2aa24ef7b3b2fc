"""The join link as a QR code PNG, big enough to scan from the back of a classroom."""

import io

import qrcode
from qrcode.constants import ERROR_CORRECT_M


def qr_png(url: str, box_size: int = 12, border: int = 2) -> bytes:
    """A black-on-white QR code for ``url`` (medium error correction survives a dim projector)."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, box_size=box_size, border=border)
    code.add_data(url)
    code.make(fit=True)
    buf = io.BytesIO()
    code.make_image(fill_color="black", back_color="white").save(buf, format="PNG")
    return buf.getvalue()
