"""Just enough of PNG and JPEG to find, remove or move an embedded C2PA manifest without re-encoding.

c2pa embeds its manifest store (JUMBF) in a PNG ``caBX`` chunk or in JPEG APP11 segments. Working on
that level, the tamper lab can change exactly one thing at a time, and ``sign`` can set aside a
source image's unreadable credentials while keeping its pixels byte for byte.
"""

import struct
import zlib

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_APP11 = 0xEB
_SOS = 0xDA

Part = tuple[bytes, bytes]  # (kind, the part's complete bytes): a PNG chunk or a JPEG segment


def split(data: bytes) -> tuple[str, list[Part]]:
    """Split a PNG into chunks, or a JPEG into its segments before the scan plus the scan itself."""
    if data.startswith(PNG_SIGNATURE):
        parts, pos = [], len(PNG_SIGNATURE)
        while pos + 12 <= len(data):
            (length,) = struct.unpack(">I", data[pos:pos + 4])
            parts.append((data[pos + 4:pos + 8], data[pos:pos + 12 + length]))
            pos += 12 + length
        return "png", parts
    if not data.startswith(b"\xff\xd8"):
        raise ValueError("Only PNG and JPEG files can be taken apart here.")
    parts, pos = [], 2
    while pos + 4 <= len(data) and data[pos] == 0xFF:
        marker = data[pos + 1]
        if marker == _SOS:
            parts.append((bytes([marker]), data[pos:]))
            return "jpeg", parts
        (length,) = struct.unpack(">H", data[pos + 2:pos + 4])
        parts.append((bytes([marker]), data[pos:pos + 2 + length]))
        pos += 2 + length
    raise ValueError("The JPEG's segments could not be followed to its image data.")


def join(container: str, parts: list[Part]) -> bytes:
    head = PNG_SIGNATURE if container == "png" else b"\xff\xd8"
    return head + b"".join(whole for _, whole in parts)


def is_manifest(container: str, part: Part) -> bool:
    kind, whole = part
    return kind == b"caBX" if container == "png" else kind == bytes([_APP11]) and whole[4:6] == b"JP"


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def strip_manifest(data: bytes) -> bytes:
    """Remove the manifest without touching anything else (no re-encoding)."""
    container, parts = split(data)
    return join(container, [p for p in parts if not is_manifest(container, p)])


def reembed(new: bytes, old: bytes) -> bytes:
    """Put ``old``'s manifest into ``new`` at the same place: an editor that keeps stale credentials."""
    container, old_parts = split(old)
    _, parts = split(new)
    for index, part in enumerate(old_parts):
        if is_manifest(container, part):
            parts.insert(index, part)
    return join(container, parts)
