"""Sample images for the viewer, and the tamper lab: what breaks Content Credentials, and why.

Each tamper works on the file's container directly (PNG chunks, JPEG segments), so it changes
exactly one thing: the pixels, the manifest's thumbnail, the signer, or (for a re-save) everything.
That is what lets a learner tie each verdict to one cause.
"""

import io
import os
import struct
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import c2pa
from PIL import Image, ImageDraw

import genlab
from genlab.provenance.ca import SigningIdentity, untrusted_identity
from genlab.provenance.containers import is_manifest, join, png_chunk, reembed, split, strip_manifest
from genlab.provenance.formats import ProvenanceError, sniff_mime
from genlab.provenance.inspect import Verdict
from genlab.provenance.runtime import toolkit
from genlab.provenance.sign import sign

SAMPLE_PROMPT = "a red circle on a blue background"
SAMPLE_MODEL = ("genlab sample renderer", genlab.__version__)


@dataclass(frozen=True)
class Tamper:
    """One tamper-lab experiment: what it does, the verdict it leads to, and why."""

    kind: str
    title: str
    expected: Verdict
    explanation: str


TAMPERS: dict[str, Tamper] = {t.kind: t for t in (
    Tamper("resave", "Re-save with an image editor", "none",
           "Re-saving decodes and re-encodes the image, and the editor does not copy the C2PA data, so the "
           "credentials are simply gone: a missing credential can never show that an image is not AI-made, "
           "which is why Transparency cannot rest on metadata alone."),
    Tamper("pixel", "Change one pixel", "invalid",
           "The signed manifest holds a hash of the image data, so changing even one pixel breaks the match "
           "and the verifier reports that the credentials no longer describe this file: Transparency holds "
           "only while the record and the content agree."),
    Tamper("crop", "Crop, keeping the old credentials", "invalid",
           "The crop changed the pixels but carried the old manifest along unchanged, so its hash no longer "
           "matches: credentials describe one exact file, and Transparency asks editors to sign edits."),
    Tamper("thumbnail", "Alter the thumbnail inside the manifest", "invalid",
           "Every assertion in the manifest, the thumbnail included, is hashed into the signed claim, so "
           "nobody can quietly change what the credentials show a viewer, which Transparency depends on."),
    Tamper("resign_untrusted", "Strip and re-sign with an unknown key", "valid_untrusted",
           "The new credentials are intact and correctly signed, but by a key nobody on your trust list "
           "vouches for: anyone can sign anything, so Transparency depends on knowing who signed."),
)}


@dataclass(frozen=True)
class Sample:
    """A ready-made image for the viewer, with what it demonstrates."""

    key: str
    title: str
    caption: str
    data: bytes


def tamper(kind: str, signed_bytes: bytes, *, data_dir: Path) -> bytes:
    """Apply the tamper-lab experiment ``kind`` (a key of TAMPERS, which also says why the verdict
    changes) to a signed PNG or JPEG; raises ProvenanceError (a ValueError), with a sentence, for anything else."""
    operations: dict[str, Callable[[bytes, Path], bytes]] = {
        "resave": lambda b, _: _resave(b), "pixel": lambda b, _: _change_pixel(b),
        "crop": lambda b, _: _crop(b), "thumbnail": _alter_thumbnail, "resign_untrusted": _resign_untrusted,
    }
    if kind not in operations:
        raise ProvenanceError(f"Unknown tamper '{kind}'; choose one of {', '.join(TAMPERS)}.")
    if sniff_mime(signed_bytes) not in ("image/png", "image/jpeg"):
        raise ProvenanceError("The tamper lab works on signed PNG or JPEG images.")
    return operations[kind](signed_bytes, data_dir)


def sample_images(data_dir: Path) -> tuple[Sample, ...]:
    """The viewer's samples, built on first use and kept under ``<data_dir>/provenance/samples``."""
    folder = Path(data_dir).resolve() / "provenance" / "samples"
    specs = [
        ("signed", "Signed by this app", "A drawing signed the way the app signs its AI images: Trusted, AI source, "
                   "prompt, do-not-train."),
        ("edited", "Edited from another image", "An AI edit whose source image is a parentOf ingredient."),
        ("tampered", "One pixel changed", "Signed, then one pixel changed: Invalid."),
        ("stripped", "Re-saved", "Signed, then re-saved with Pillow: the credentials are gone."),
        ("untrusted", "Signed by an unknown CA", "Intact credentials from a signer you do not trust: Valid."),
        ("plain", "No credentials at all", "An ordinary image that never had Content Credentials."),
    ]
    missing = [key for key, *_ in specs if not (folder / f"{key}.png").exists()]
    if missing:
        built = _build_samples(data_dir)
        folder.mkdir(parents=True, exist_ok=True)
        for key in missing:
            _write_atomic(folder / f"{key}.png", built[key])
    return tuple(Sample(key, title, caption, (folder / f"{key}.png").read_bytes())
                 for key, title, caption in specs)


def _build_samples(data_dir: Path) -> dict[str, bytes]:
    plain = _drawing(with_square=False)
    name, version = SAMPLE_MODEL
    signed = sign(plain, prompt=SAMPLE_PROMPT, model_name=name, model_version=version, data_dir=data_dir)
    edited = sign(_drawing(with_square=True), prompt="add a yellow square", model_name=name,
                  model_version=version, parent=signed, data_dir=data_dir)
    untrusted = sign(plain, prompt=SAMPLE_PROMPT, model_name=name, model_version=version,
                     signer=_untrusted(), data_dir=data_dir)
    return {"signed": signed, "edited": edited, "tampered": _change_pixel(signed),
            "stripped": _resave(signed), "untrusted": untrusted, "plain": plain}


def _drawing(*, with_square: bool) -> bytes:
    im = Image.new("RGB", (64, 64), (40, 70, 200))
    draw = ImageDraw.Draw(im)
    draw.ellipse((8, 8, 40, 40), fill=(220, 30, 30))
    if with_square:
        draw.rectangle((40, 40, 58, 58), fill=(240, 220, 40))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    return buf.getvalue()


@lru_cache(maxsize=1)
def _untrusted() -> SigningIdentity:
    """One untrusted CA per process, so every "unknown signer" in a session is the same stranger."""
    return untrusted_identity()


def _write_atomic(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


# --- tampers -----------------------------------------------------------------------------------

def _encode(im: Image.Image, container: str) -> bytes:
    buf = io.BytesIO()
    im.save(buf, "PNG" if container == "png" else "JPEG", quality=95)
    return buf.getvalue()


def _resave(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as im:
        return _encode(im, split(data)[0])


def _crop(data: bytes) -> bytes:
    with Image.open(io.BytesIO(data)) as im:
        w, h = im.size
        cropped = im.crop((w // 8, h // 8, w - w // 8, h - h // 8))
    return reembed(_encode(cropped, split(data)[0]), data)


def _change_pixel(data: bytes) -> bytes:
    """Change the top-left pixel. PNG: new IDAT data, every other chunk byte-identical. JPEG: flip
    one bit at the start of the entropy-coded scan, which changes the top-left block and nothing else
    is re-encoded."""
    container, parts = split(data)
    if container == "jpeg":
        scan = bytearray(parts[-1][1])
        start = 2 + struct.unpack(">H", scan[2:4])[0]
        pos = next(i for i in range(start + 1, len(scan) - 2)
                   if scan[i] not in (0xFF, 0xFE) and scan[i - 1] != 0xFF)
        scan[pos] ^= 0x01
        return join(container, [*parts[:-1], (parts[-1][0], bytes(scan))])
    with Image.open(io.BytesIO(data)) as im:
        im.load()
        pixel = im.getpixel((0, 0))
        if isinstance(pixel, tuple):
            changed: tuple[int, ...] | int = ((pixel[0] + 128) % 256, *pixel[1:])
        else:
            changed = (int(pixel) + 1) % 256
        im.putpixel((0, 0), changed)
        _, new_parts = split(_encode(im, "png"))
    if new_parts[0] != parts[0]:
        raise ProvenanceError("Only 8-bit PNGs that Pillow writes back with the same header can be tampered here.")
    idat = [p for p in new_parts if p[0] == b"IDAT"]
    first = next(i for i, p in enumerate(parts) if p[0] == b"IDAT")
    kept = [p for p in parts if p[0] != b"IDAT"]
    return join(container, kept[:first] + idat + kept[first:])


def _active_manifest(data: bytes, data_dir: Path) -> tuple[c2pa.Reader, dict[str, Any]]:
    try:
        reader = c2pa.Reader(sniff_mime(data), io.BytesIO(data), context=toolkit(data_dir).context)
    except c2pa.C2paError as exc:
        raise ProvenanceError("This image has no readable Content Credentials to tamper with; "
                         "sign it first.") from exc
    return reader, reader.get_active_manifest() or {}


def _alter_thumbnail(data: bytes, data_dir: Path) -> bytes:
    """Flip one bit in the middle of the claim thumbnail, found inside the manifest's own bytes."""
    reader, manifest = _active_manifest(data, data_dir)
    with reader:
        identifier = (manifest.get("thumbnail") or {}).get("identifier")
        if not identifier:
            raise ProvenanceError("This image's credentials have no thumbnail to alter.")
        buf = io.BytesIO()
        reader.resource_to_stream(identifier, buf)
    thumb = buf.getvalue()
    needle = thumb[len(thumb) // 2:len(thumb) // 2 + 16]
    container, parts = split(data)
    for index, (kind, whole) in enumerate(parts):
        at = whole.find(needle)
        if is_manifest(container, (kind, whole)) and at >= 0:
            changed = bytearray(whole)
            changed[at + 8] ^= 0x01
            if container == "png":  # keep the chunk's CRC right, so only the C2PA hash can object
                changed[-4:] = png_chunk(kind, bytes(changed[8:-4]))[-4:]
            parts[index] = (kind, bytes(changed))
            return join(container, parts)
    raise ProvenanceError("The thumbnail could not be found inside the manifest (it may span two JPEG segments).")


def _resign_untrusted(data: bytes, data_dir: Path) -> bytes:
    """Strip the credentials and sign the same claims again, with a key from an untrusted CA."""
    reader, manifest = _active_manifest(data, data_dir)
    with reader:
        actions = [a for assertion in manifest.get("assertions") or []
                   if str(assertion.get("label", "")).startswith("c2pa.actions")
                   for a in (assertion.get("data") or {}).get("actions") or []]
    agent = next((a["softwareAgent"] for a in actions if isinstance(a.get("softwareAgent"), dict)), {})
    prompt = next((a["description"] for a in actions if a.get("description")), None)
    return sign(strip_manifest(data), prompt=prompt, model_name=str(agent.get("name", "unknown model")),
                model_version=str(agent.get("version", "unknown")), signer=_untrusted(), data_dir=data_dir)
