"""Read an image's Content Credentials and explain them in plain words.

The verdict follows c2pa's three validation states plus the two cases c2pa cannot judge:

- ``trusted``: intact, and signed by a certificate on the trust list;
- ``valid_untrusted``: intact, but nothing on the trust list vouches for the signer;
- ``invalid``: the credentials do not match the file, or cannot be checked;
- ``none``: no credentials, which proves nothing: a re-save or a screenshot removes them;
- ``unreadable``: not an image we accept (too large, not an image, damaged, a decompression bomb),
  or credentials stored online that an offline viewer does not fetch.

Following the C2PA user-experience guidance, the words show the evidence and let the learner
judge: never "authentic", and never "not AI". The reader always uses the app's explicit offline
Context, and this function never raises, because uploads are hostile until proven otherwise.
"""

import io
import json
import logging
import re
import struct
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NamedTuple

import c2pa
from PIL import Image

from genlab.provenance.formats import FORMAT_NAMES, sniff_mime
from genlab.provenance.runtime import toolkit

log = logging.getLogger(__name__)

Verdict = Literal["trusted", "valid_untrusted", "invalid", "none", "unreadable"]

MAX_PIXELS = 50_000_000
MAX_THUMBNAIL_BYTES = 4 * 2**20
_MAX_DEPTH = 8
_PILLOW_FORMATS = {"image/jpeg": "JPEG", "image/webp": "WEBP", "image/gif": "GIF",
                   "image/tiff": "TIFF", "image/avif": "AVIF"}
#: Formats whose header must parse; TIFF variants (DNG) and AVIF may be beyond Pillow yet fine for c2pa.
_HEADER_REQUIRED = {"image/png", "image/jpeg", "image/webp", "image/gif"}

STRIPPED_TEXT = "No Content Credentials; they may have been stripped"
UNTRUSTED_TEXT = "Valid, but the signer is not on your trust list"
NO_TIME_TEXT = ("No trusted time: it was signed without a timestamp authority, "
                "so when it was signed cannot be shown")

#: IPTC digital source types that mean a generative or algorithmic model made the content.
AI_SOURCE_TYPES = {"trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia", "algorithmicMedia",
                   "compositeSynthetic", "dataDrivenMedia"}

_ACTION_WORDS = {
    "c2pa.created": "Created", "c2pa.opened": "Opened an existing image", "c2pa.edited": "Edited",
    "c2pa.edited.metadata": "Edited its metadata", "c2pa.resized": "Resized", "c2pa.cropped": "Cropped",
    "c2pa.converted": "Converted to another format", "c2pa.color_adjustments": "Adjusted its colours",
    "c2pa.filtered": "Applied a filter", "c2pa.drawing": "Drew on it",
    "c2pa.orientation": "Rotated or flipped",
    "c2pa.placed": "Placed another image into it", "c2pa.removed": "Removed part of it",
    "c2pa.published": "Published it", "c2pa.transcoded": "Re-encoded it", "c2pa.repackaged": "Repackaged it",
    "c2pa.redacted": "Redacted part of its credentials", "c2pa.watermarked": "Added an invisible watermark",
    "c2pa.unknown": "Made changes that were not recorded in detail",
}

_TRAINING_PURPOSES = {
    "ai_generative_training": "training generative AI models", "ai_training": "training AI models",
    "ai_inference": "input to AI models (inference)", "data_mining": "data mining",
}

#: code -> (short clause for "Invalid: ...", full sentence). Short clauses read after "Invalid: ".
_FAILURE_TEXT = {
    "assertion.dataHash.mismatch": (
        "the image data changed after it was signed",
        "The image data no longer matches the hash recorded when it was signed: its pixels (or other "
        "bytes) changed after signing."),
    "assertion.bmffHash.mismatch": (
        "the media data changed after it was signed",
        "The media data no longer matches the hash recorded when it was signed."),
    "assertion.hashedURI.mismatch": (
        "part of its credentials was altered",
        "A part of the credentials (such as the thumbnail or the list of actions) was altered after "
        "signing, so its hash no longer matches the signed claim."),
    "claimSignature.mismatch": (
        "the signature does not match",
        "The digital signature does not match the claim it covers: the credentials were altered after "
        "signing, or the signature itself is damaged."),
    "signingCredential.expired": (
        "the signing certificate has expired",
        "The signing certificate has expired, and there is no trusted timestamp proving it was still valid "
        "when the image was signed."),
    "signingCredential.untrusted": (
        "the signer is not on your trust list",
        "The signing certificate does not lead to any certificate on your trust list, so nothing you "
        "trust vouches for who signed."),
    "signingCredential.invalid": (
        "the signing certificate is not acceptable",
        "The signing certificate does not meet the rules for Content Credentials certificates."),
    "signingCredential.revoked": (
        "the signing certificate was revoked",
        "The signing certificate was revoked by its issuer, so its signatures are no longer accepted."),
    "claimSignature.outsideValidity": (
        "it was signed outside the certificate's validity",
        "The signature was made when the signing certificate was not valid."),
    "manifest.inaccessible": (
        "its credentials are stored online",
        "The Content Credentials are stored online (a remote manifest) and this viewer works offline, so "
        "it did not fetch them."),
    "ingredient.manifest.missing": (
        "an ingredient's credentials are missing",
        "The credentials of an ingredient they refer to are missing from the file."),
}


class Failure(NamedTuple):
    """One failed check: the C2PA status code, and what it means in a sentence."""

    code: str
    sentence: str


@dataclass(frozen=True)
class Ingredient:
    """One node of the ingredient tree: an image this one was made from, with its own verdict."""

    title: str
    format: str | None
    relationship: str
    verdict: Verdict
    verdict_text: str
    ai_generated: bool | None
    thumbnail: bytes | None
    failures: tuple[Failure, ...]
    children: tuple["Ingredient", ...]


@dataclass(frozen=True)
class ProvenanceSummary:
    """Everything the provenance card shows, already in words; the raw JSON for the expert panel."""

    verdict: Verdict
    verdict_text: str
    headline: str
    mime: str | None = None
    signer: str | None = None
    signed_at: str | None = None
    claim_generator: str | None = None
    software_agent: str | None = None
    ai_generated: bool | None = None
    ai_text: str = "Unknown: without Content Credentials there is no record either way."
    actions: tuple[str, ...] = ()
    description: str | None = None
    do_not_train: tuple[str, ...] = ()
    ingredients: tuple[Ingredient, ...] = ()
    failures: tuple[Failure, ...] = ()
    thumbnail: bytes | None = None
    raw_json: str | None = None
    cr_json: str | None = None
    detail: str | None = None


def inspect(data: bytes, *, max_bytes: int = 20 * 2**20, data_dir: Path | None = None,
            trust_anchors_file: Path | None = None) -> ProvenanceSummary:
    """Summarise the Content Credentials in ``data``. Never raises: every outcome is a summary."""
    try:
        return _inspect(bytes(data), max_bytes, data_dir, trust_anchors_file)
    except Exception as exc:  # the viewer's last line: a hostile upload must not crash the page
        log.exception("inspect failed unexpectedly")
        return _unreadable("something unexpected went wrong",
                           f"Something unexpected went wrong while reading this file ({type(exc).__name__}). "
                           "Try another file, and tell your instructor if it keeps happening.",
                           detail=repr(exc))


def failure_sentence(code: str, explanation: str = "") -> Failure:
    """The sentence for a C2PA status code; unknown codes still name the code, so nothing is hidden."""
    if code in _FAILURE_TEXT:
        return Failure(code, _FAILURE_TEXT[code][1])
    if code.startswith("cawg."):
        return Failure(code, f"An identity claim attached to the credentials could not be verified "
                             f"({code}). This is about who the creator says they are, not about whether "
                             "the image changed.")
    why = f": {explanation.rstrip('.')}" if explanation else ""
    return Failure(code, f"The check {code} failed{why}. The raw data panel has the details.")


def _short_reason(code: str) -> str:
    if code in _FAILURE_TEXT:
        return _FAILURE_TEXT[code][0]
    if code.startswith("cawg."):
        return "an identity claim could not be verified"
    return f"the check {code} failed"


def _unreadable(short: str, sentence: str, *, mime: str | None = None, detail: str | None = None,
                failures: tuple[Failure, ...] = ()) -> ProvenanceSummary:
    return ProvenanceSummary(verdict="unreadable", verdict_text=f"Unreadable: {short}", headline=sentence,
                             mime=mime, ai_text="Unknown: the credentials could not be read.",
                             failures=failures, detail=detail)


def _inspect(data: bytes, max_bytes: int, data_dir: Path | None,
             trust_anchors_file: Path | None) -> ProvenanceSummary:
    if not data:
        return _unreadable("the file is empty",
                           "The file is empty (0 bytes). Choose an image file and upload it again.")
    if len(data) > max_bytes:
        return _unreadable(
            "the file is too large",
            f"This file is {_size(len(data))} and the viewer reads files up to {_size(max_bytes)}. "
            "Shrinking the image would remove its credentials, so check the original with a desktop "
            "tool such as c2patool instead.")
    mime = sniff_mime(data)
    if mime is None:
        names = ", ".join(sorted(set(FORMAT_NAMES.values())))
        return _unreadable("this is not an image the viewer can read",
                           f"This is not an image the viewer can read: its first bytes match none of "
                           f"{names}. Upload an image file in one of those formats.")
    problem = _header_problem(data, mime)
    if problem:
        return _unreadable(problem[0], problem[1], mime=mime)
    kit = toolkit(data_dir, trust_anchors_file)
    try:
        reader = c2pa.Reader(mime, io.BytesIO(data), context=kit.context)
    except c2pa.C2paError as exc:
        return _reader_error(exc, mime)
    with reader:
        return _summarise(reader, mime)


def _size(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n >= 2**20 else f"{n / 1024:.1f} KB"


def _header_problem(data: bytes, mime: str) -> tuple[str, str] | None:
    """Only the header is read (IHDR for PNG, Pillow's lazy open for the rest), so a 1 KB file declaring
    100,000 x 100,000 pixels costs nothing."""
    fmt = FORMAT_NAMES[mime]
    if mime != "image/png" and mime not in _PILLOW_FORMATS:
        return None
    bomb = ("it declares too many pixels",
            "This file declares more than {mp} million pixels{dims}, more than the viewer's limit of "
            f"{MAX_PIXELS // 1_000_000} million. Files like this (decompression bombs) can exhaust a "
            "computer's memory, so it was not opened. Upload a smaller image.")
    try:
        if mime == "image/png":
            width, height = _png_size(data)
        else:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # bomb and corrupt-EXIF warnings: the answer comes below
                with Image.open(io.BytesIO(data), formats=[_PILLOW_FORMATS[mime]]) as im:
                    width, height = im.size
    except Image.DecompressionBombError:
        return bomb[0], bomb[1].format(mp=2 * Image.MAX_IMAGE_PIXELS // 1_000_000, dims="")
    except Exception:  # any parse error of a hostile header is the same answer for the learner
        if mime in _HEADER_REQUIRED:
            return ("the image is damaged",
                    f"The file starts like a {fmt} image but its header is damaged, so it cannot be read. "
                    "Try the original file.")
        return None
    if width * height > MAX_PIXELS:
        return bomb[0], bomb[1].format(mp=width * height // 1_000_000, dims=f" ({width} x {height})")
    return None


def _png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the IHDR chunk. Not Pillow: it rejects a PNG whose C2PA chunk has a bad
    CRC, and such a file is exactly one whose credentials c2pa should judge (altered), not us."""
    length, kind, width, height = struct.unpack(">I4sII", data[8:24].ljust(16, b"\0"))
    if kind != b"IHDR" or length != 13 or not width or not height:
        raise ValueError("no valid IHDR chunk")
    return width, height


def _reader_error(exc: c2pa.C2paError, mime: str) -> ProvenanceSummary:
    """c2pa's errors, sorted into what they mean for the learner."""
    message = str(exc)
    kind = message.split(":", 1)[0] if ":" in message else type(exc).__name__.lstrip("_").removeprefix("C2pa")
    fmt = FORMAT_NAMES[mime]
    if isinstance(exc, c2pa.C2paError.ManifestNotFound):
        return ProvenanceSummary(
            verdict="none", verdict_text=STRIPPED_TEXT, mime=mime,
            headline="This image carries no Content Credentials. That does not mean a person made it: "
                     "re-saving, screenshotting or uploading to many sites removes them.")
    if kind in ("Remote", "RemoteManifest"):
        url = re.search(r"https?://[^\s)]+", message)
        where = f" at {url.group(0)}" if url else ""
        failure = failure_sentence("manifest.inaccessible")
        return _unreadable("its credentials are stored online and were not fetched",
                           f"This image's Content Credentials are stored online{where}, and this viewer "
                           "works offline, so it did not fetch them. Check it with an online verifier "
                           "such as contentcredentials.org/verify.",
                           mime=mime, detail=message, failures=(failure,))
    if "could not be parsed" in message or kind in ("Io", "NotSupported"):
        return _unreadable("the file is damaged",
                           f"The file is damaged or cut short: it starts like a {fmt} image but its "
                           "structure cannot be parsed. Try the original file.", mime=mime, detail=message)
    failure = Failure(f"c2pa-error:{kind}",
                      f"The Content Credentials are damaged and could not be checked "
                      f"(c2pa reported: {message}).")
    return ProvenanceSummary(
        verdict="invalid", verdict_text="Invalid: its credentials are damaged", mime=mime,
        headline="This image carries Content Credentials, but they are damaged and cannot be checked. "
                 "Do not rely on anything they say.",
        ai_text="Unknown: the credentials could not be read.", failures=(failure,), detail=message)


def _summarise(reader: c2pa.Reader, mime: str) -> ProvenanceSummary:
    raw_json = reader.json()
    store = json.loads(raw_json)
    manifests: dict[str, Any] = store.get("manifests") or {}
    active_label = store.get("active_manifest")
    active: dict[str, Any] = manifests.get(active_label) or {}
    ordered = [active] + [manifests[k] for k in sorted(manifests) if k != active_label]
    results = store.get("validation_results") or {}
    failures = _failures((results.get("activeManifest") or {}).get("failure") or [])
    deltas = _delta_failures(results.get("ingredientDeltas") or [])
    ingredients = _ingredient_tree(reader, active, manifests, deltas, 0, {active_label})

    verdict = _verdict(store.get("validation_state"), failures)
    signature = active.get("signature_info") or {}
    signer = signature.get("issuer") or signature.get("common_name")
    ai = _ai_generated(ordered)
    agent = next((a for a in (_software_agent(m) for m in ordered) if a), None)
    if verdict == "trusted":
        verdict_text, headline = "Trusted", f"Signed by {signer or 'an unnamed signer'}, a signer on your trust list."
    elif verdict == "valid_untrusted":
        verdict_text = UNTRUSTED_TEXT
        headline = (f"The credentials are intact, but they were signed by {signer or 'an unnamed signer'}, "
                    "and nothing on your trust list vouches for that signer: treat what they say as a claim.")
    else:
        reason = next((f.code for f in failures if f.code != "signingCredential.untrusted"),
                      failures[0].code if failures else "")
        short = _short_reason(reason) if reason else "the credentials did not validate"
        verdict_text = f"Invalid: {short}"
        headline = f"These Content Credentials failed validation: {short}. Do not rely on what they say."
    if ai and verdict != "invalid":
        headline += " " + _ai_text(ai)
    if any(i.verdict in ("invalid", "unreadable") for i in _walk(ingredients)):
        headline += " An ingredient has problems of its own; see the ingredient list."
    return ProvenanceSummary(
        verdict=verdict, verdict_text=verdict_text, headline=headline, mime=mime, signer=signer,
        signed_at=signature.get("time") or NO_TIME_TEXT,
        claim_generator=_claim_generator(active), software_agent=agent, ai_generated=ai,
        ai_text=_ai_text(ai), actions=tuple(_action_sentences(active)), description=_description(active),
        do_not_train=tuple(_do_not_train(active)), ingredients=ingredients, failures=failures,
        thumbnail=_thumbnail(reader, active), raw_json=raw_json, cr_json=_cr_json(reader))


def _verdict(state: str | None, failures: tuple[Failure, ...]) -> Verdict:
    if state == "Trusted":
        return "trusted"
    if state == "Valid" or (state is None and not failures):
        return "valid_untrusted"
    return "invalid"


def _failures(entries: list[dict[str, Any]]) -> tuple[Failure, ...]:
    seen: dict[str, Failure] = {}
    for entry in entries:
        code = str(entry.get("code", "unknown"))
        seen.setdefault(code, failure_sentence(code, str(entry.get("explanation") or "")))
    return tuple(seen.values())


def _delta_failures(deltas: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """Ingredient problems found while reading, keyed by the ingredient assertion's JUMBF URI."""
    return {str(d.get("ingredientAssertionURI")): (d.get("validationDeltas") or {}).get("failure") or []
            for d in deltas}


def _ingredient_tree(reader: c2pa.Reader, manifest: dict[str, Any], manifests: dict[str, Any],
                     deltas: dict[str, list[dict[str, Any]]], depth: int,
                     seen: set[str | None]) -> tuple[Ingredient, ...]:
    nodes = []
    for ing in manifest.get("ingredients") or []:
        label = ing.get("active_manifest")
        own = ing.get("validation_results") or {}
        entries = list((own.get("activeManifest") or {}).get("failure") or ing.get("validation_status") or [])
        uri = f"self#jumbf=/c2pa/{manifest.get('label')}/c2pa.assertions/{ing.get('label')}"
        entries += deltas.get(uri, [])
        failures = _failures(entries)
        successes = {e.get("code") for e in (own.get("activeManifest") or {}).get("success") or []}
        child = manifests.get(label) if label else None
        if label is None and failures:  # e.g. its credentials are stored online and were not fetched
            verdict: Verdict = "unreadable"
            text = f"Unreadable: {_short_reason(failures[0].code)}"
        elif label is None:
            verdict, text = "none", "No Content Credentials of its own"
        elif problems := [f for f in failures if f.code != "signingCredential.untrusted"]:
            verdict, text = "invalid", f"Invalid: {_short_reason(problems[0].code)}"
        elif "signingCredential.trusted" in successes and not failures:
            verdict, text = "trusted", "Trusted"
        else:
            verdict, text = "valid_untrusted", UNTRUSTED_TEXT
        children: tuple[Ingredient, ...] = ()
        if child and label not in seen and depth < _MAX_DEPTH:
            children = _ingredient_tree(reader, child, manifests, {}, depth + 1, seen | {label})
        nodes.append(Ingredient(
            title=str(ing.get("title") or "untitled"), format=ing.get("format"),
            relationship=str(ing.get("relationship") or "componentOf"), verdict=verdict, verdict_text=text,
            ai_generated=_ai_generated([ing, child] if child else [ing]), thumbnail=_thumbnail(reader, ing),
            failures=failures, children=children))
    return tuple(nodes)


def _walk(nodes: tuple[Ingredient, ...]) -> Iterator[Ingredient]:
    for node in nodes:
        yield node
        yield from _walk(node.children)


def _source_types(obj: Any) -> Iterator[str]:
    """Every digitalSourceType value anywhere inside ``obj`` (actions, ingredients, nested data)."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key == "digitalSourceType" and isinstance(value, str):
                yield value.strip().rstrip("/").rsplit("/", 1)[-1]
            else:
                yield from _source_types(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _source_types(value)


def _ai_generated(manifests: list[Any]) -> bool | None:
    """True if any manifest or ingredient declares an AI source; None when none declares a source."""
    types = set(_source_types(manifests))
    if not types:
        return None
    return bool(types & AI_SOURCE_TYPES)


def _ai_text(ai: bool | None) -> str:
    if ai:
        return "The credentials say AI was used to make this image or one of its ingredients."
    if ai is False:
        return ("The credentials describe how the image was made and do not mention AI. That is the "
                "signer's claim, not proof.")
    return "The credentials do not say how the image was made."


def _words(source_type: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", " ", source_type).lower()


def _agent_text(agent: Any) -> str | None:
    if isinstance(agent, dict):
        return " ".join(str(agent[k]) for k in ("name", "version") if agent.get(k)) or None
    return str(agent) if agent else None


def _actions(manifest: dict[str, Any]) -> list[dict[str, Any]]:
    found = []
    for assertion in manifest.get("assertions") or []:
        if str(assertion.get("label", "")).startswith("c2pa.actions"):
            found += [a for a in (assertion.get("data") or {}).get("actions") or [] if isinstance(a, dict)]
    return found


def _software_agent(manifest: dict[str, Any]) -> str | None:
    return next((t for t in (_agent_text(a.get("softwareAgent")) for a in _actions(manifest)) if t), None)


def _action_sentences(manifest: dict[str, Any]) -> list[str]:
    sentences = []
    for action in _actions(manifest):
        name = str(action.get("action", "unknown"))
        text = _ACTION_WORDS.get(name, f"Performed the action '{name}'")
        source = next(_source_types(action), None)
        if source in AI_SOURCE_TYPES:
            text = "Created by an AI model" if name == "c2pa.created" else f"{text} with AI"
            text += f" ({_words(source)})"
        elif source == "digitalCapture" and name == "c2pa.created":
            text = "Captured with a camera (digital capture)"
        elif source:
            text += f" ({_words(source)})"
        agent = _agent_text(action.get("softwareAgent"))
        sentences.append(text + (f" using {agent}" if agent else ""))
    return sentences


def _description(manifest: dict[str, Any]) -> str | None:
    return next((str(a["description"]) for a in _actions(manifest) if a.get("description")), None)


def _claim_generator(manifest: dict[str, Any]) -> str | None:
    info = manifest.get("claim_generator_info")
    if isinstance(info, list) and info and isinstance(info[0], dict):
        return _agent_text(info[0])
    return manifest.get("claim_generator")


def _do_not_train(manifest: dict[str, Any]) -> list[str]:
    """Training and mining wishes, read from both the CAWG (2.x) and the C2PA 1.x assertion."""
    wishes: dict[str, str] = {}
    for assertion in manifest.get("assertions") or []:
        if str(assertion.get("label", "")) not in ("cawg.training-mining", "c2pa.training-mining"):
            continue
        for key, entry in ((assertion.get("data") or {}).get("entries") or {}).items():
            purpose_key = str(key).split(".", 1)[-1]
            purpose = _TRAINING_PURPOSES.get(purpose_key, purpose_key.replace("_", " "))
            use = (entry or {}).get("use") if isinstance(entry, dict) else None
            if use == "notAllowed":
                wish = f"Not allowed: {purpose}."
            elif use == "constrained":
                info = entry.get("constraint_info")
                wish = f"Allowed only under conditions: {purpose}" + (f" ({info})." if info else ".")
            elif use == "allowed":
                wish = f"Allowed: {purpose}."
            else:
                continue
            wishes.setdefault(purpose_key, wish)
    return list(wishes.values())


def _thumbnail(reader: c2pa.Reader, holder: dict[str, Any]) -> bytes | None:
    """The embedded thumbnail, if it is a small image: a hostile manifest could embed a bomb here too."""
    identifier = (holder.get("thumbnail") or {}).get("identifier")
    if not identifier:
        return None
    buf = io.BytesIO()
    try:
        reader.resource_to_stream(identifier, buf)
    except c2pa.C2paError:
        return None
    data = buf.getvalue()
    mime = sniff_mime(data)
    if len(data) > MAX_THUMBNAIL_BYTES or mime is None or _header_problem(data, mime):
        return None
    return data


def _cr_json(reader: c2pa.Reader) -> str | None:
    """crJSON, the standard export (c2pa-python 0.38 has it); else c2pa-rs's detailed report."""
    for export in (reader.crjson, reader.detailed_json):
        try:
            return export()
        except c2pa.C2paError:
            continue
    return None
