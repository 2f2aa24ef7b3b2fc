"""Attach Content Credentials (a signed C2PA manifest) to an image the local model made.

Transparency, one of the responsible-AI principles, asks that people can tell when content was made
by AI. So every image the local model makes carries a manifest that says so in the vocabulary other
tools read: a ``c2pa.created`` action with the IPTC digital source type *trainedAlgorithmicMedia*,
the model as ``softwareAgent``, the prompt (unless the learner opts out), and a request that the
image not be used to train AI. An edit (inpainting, image-to-image) is signed as ``c2pa.edited``
with the source image as its ``parentOf`` ingredient, so its own history travels with it.

The manifest is embedded in the file's container (a PNG chunk, a JPEG APP11 segment); the pixel
data is copied unchanged, never re-encoded.
"""

import io
from functools import lru_cache
from pathlib import Path
from typing import Any

import c2pa
from PIL import Image

import genlab
from genlab.provenance.ca import SigningIdentity
from genlab.provenance.containers import strip_manifest
from genlab.provenance.formats import FORMAT_NAMES, ProvenanceError, sniff_mime
from genlab.provenance.runtime import THUMBNAIL_EDGE, make_signer, toolkit

APP_NAME = "AI-901 Image Generation Lab"
IPTC = "http://cv.iptc.org/newscodes/digitalsourcetype/"
TRAINED_ALGORITHMIC_MEDIA = IPTC + "trainedAlgorithmicMedia"
COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA = IPTC + "compositeWithTrainedAlgorithmicMedia"
SIGNABLE = ("image/png", "image/jpeg")
_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg"}
_PARENT_LABEL = "parent"

#: Both do-not-train vocabularies: CAWG's (C2PA 2.x) and the older C2PA 1.x one, which some viewers
#: still read. ``notAllowed`` for every use: a learner's experiments are not training data.
_TRAINING_USES = ("ai_generative_training", "ai_inference", "ai_training", "data_mining")
DO_NOT_TRAIN_ASSERTIONS = [
    {"label": f"{ns}.training-mining",
     "data": {"entries": {f"{ns}.{use}": {"use": "notAllowed"} for use in _TRAINING_USES}}}
    for ns in ("cawg", "c2pa")
]


def sign(image_bytes: bytes, *, mime: str | None = None, prompt: str | None, model_name: str,
         model_version: str, include_prompt: bool = True, parent: bytes | None = None,
         parent_mime: str | None = None, signer: SigningIdentity | None = None,
         data_dir: Path) -> bytes:
    """Return ``image_bytes`` with an embedded, signed manifest (PNG or JPEG, sniffed from the bytes).

    ``parent`` is the image this one was edited from; ``signer`` defaults to the app's demo CA
    signer (other identities are for the tamper lab and tests). Raises ProvenanceError (a ValueError), with a sentence,
    for a format that cannot be signed; c2pa errors (a certificate c2pa refuses) propagate.
    """
    mime = _check_format(image_bytes, mime, SIGNABLE, "image")
    kit = toolkit(data_dir)
    agent = {"name": model_name, "version": model_version}
    description = {"description": prompt} if include_prompt and prompt else {}
    if parent is None:
        actions = [{"action": "c2pa.created", "digitalSourceType": TRAINED_ALGORITHMIC_MEDIA,
                    "softwareAgent": agent, **description}]
        title = "generated"
    else:
        actions = [{"action": "c2pa.opened", "parameters": {"ingredientIds": [_PARENT_LABEL]}},
                   {"action": "c2pa.edited", "digitalSourceType": COMPOSITE_WITH_TRAINED_ALGORITHMIC_MEDIA,
                    "softwareAgent": agent, **description}]
        title = "edited"
    manifest: dict[str, Any] = {
        "claim_generator_info": [{"name": APP_NAME, "version": genlab.__version__}],
        "title": f"{title}.{_EXTENSIONS[mime]}",
        "format": mime,
        "assertions": [{"label": "c2pa.actions", "data": {"actions": actions}}, *DO_NOT_TRAIN_ASSERTIONS],
    }
    own_thumbnail = _fits_as_thumbnail(image_bytes)
    if own_thumbnail:
        manifest["thumbnail"] = {"format": mime, "identifier": "thumbnail"}
    out = io.BytesIO()
    with c2pa.Builder(manifest, kit.context) as builder:
        if own_thumbnail:
            builder.add_resource("thumbnail", io.BytesIO(image_bytes))
        if parent is not None:
            _add_parent(builder, parent, _check_format(parent, parent_mime, tuple(FORMAT_NAMES), "source image"))
        chosen = kit.signer if signer is None else _signer_for(signer)
        builder.sign(chosen, mime, io.BytesIO(image_bytes), out)
    return out.getvalue()


def _add_parent(builder: c2pa.Builder, parent: bytes, parent_mime: str) -> None:
    """Record the source image as the ``parentOf`` ingredient, with its own credentials if it has any.

    An uploaded source may carry credentials so damaged that c2pa cannot parse them. Refusing to sign
    the edit would leave it with no credentials at all, so the damaged manifest is set aside (PNG and
    JPEG; the pixels stay byte for byte) and the ingredient's title says why.
    """
    ingredient = {"relationship": "parentOf", "label": _PARENT_LABEL}
    title = f"source image.{parent_mime.split('/')[1]}"
    try:
        builder.add_ingredient({**ingredient, "title": title}, parent_mime, io.BytesIO(parent))
    except c2pa.C2paError as exc:
        if parent_mime not in SIGNABLE:
            raise ProvenanceError("The source image's Content Credentials are damaged and cannot be read, so the "
                             "edit cannot record it; start from a PNG or JPEG copy of it.") from exc
        builder.add_ingredient({**ingredient, "title": f"{title} (its damaged credentials were set aside)"},
                               parent_mime, io.BytesIO(strip_manifest(parent)))


def _check_format(data: bytes, declared: str | None, allowed: tuple[str, ...], what: str) -> str:
    sniffed = sniff_mime(data)
    if sniffed not in allowed:
        names = ", ".join(FORMAT_NAMES[m] for m in allowed)
        raise ProvenanceError(f"The {what} is not a format that can be signed here ({names}); "
                         "convert it to one of those first.")
    if declared is not None and declared != sniffed:
        raise ProvenanceError(f"The {what} was declared as {declared} but its bytes are {FORMAT_NAMES[sniffed]}; "
                         "pass the right type or leave it out to let the bytes decide.")
    return sniffed


def _fits_as_thumbnail(image_bytes: bytes) -> bool:
    """A small image is its own best thumbnail: c2pa would *upscale* a 32 px image to a 256 px JPEG."""
    with Image.open(io.BytesIO(image_bytes)) as im:
        return max(im.size) <= THUMBNAIL_EDGE


@lru_cache(maxsize=8)
def _signer_for(identity: SigningIdentity) -> c2pa.Signer:
    return make_signer(identity)
