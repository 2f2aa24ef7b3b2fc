"""Read an image's Content Credentials and explain them in plain words.

The verdict follows c2pa's three validation states plus the two cases c2pa cannot judge:

- ``trusted``: intact, and signed by a certificate on the trust list;
- ``valid_untrusted``: intact, but nothing on the trust list vouches for the signer;
- ``invalid``: the active manifest's own claim failed a check (hashes, signature, certificate time);
  an ingredient's failures and CAWG identity results are reported beside the verdict, never flipping it;
- ``none``: no credentials, which proves nothing: a re-save or a screenshot removes them;
- ``unreadable``: not an image we accept (too large, not an image, damaged, a decompression bomb),
  credentials the reader cannot decode (pre-1.0 C2PA, no hash algorithm), or credentials stored online
  that an offline viewer does not fetch. Nothing is claimed about fields that were not read.

Following the C2PA user-experience guidance, the words show the evidence and let the learner
judge: never "authentic", and never "not AI". The reader always uses the app's explicit offline
Context, and this function never raises, because uploads are hostile until proven otherwise.
"""

import datetime as dt
import io
import json
import logging
import re
import struct
import warnings
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Literal

import c2pa
from PIL import Image

from genlab.images import MAX_PIXELS
from genlab.provenance.formats import FORMAT_NAMES, sniff_mime
from genlab.provenance.runtime import toolkit
from genlab.provenance.status_codes import meaning, scope_of

log = logging.getLogger(__name__)

Verdict = Literal["trusted", "valid_untrusted", "invalid", "none", "unreadable"]

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
UPDATE_TEXT = ("This is an update manifest: it records changes that leave the image's content as it was (such as "
               "to its metadata). What the image shows is vouched for by the parent ingredient's credentials.")

#: IPTC digital source types (https://cv.iptc.org/newscodes/digitalsourcetype/), each in the vocabulary's
#: own terms. "Trained" means a model that learnt from sampled data, which is what "generative AI" means.
SOURCE_TYPES: dict[str, str] = {
    "trainedAlgorithmicMedia": "made with a trained AI model (trained algorithmic media)",
    "compositeWithTrainedAlgorithmicMedia": "a composite that includes content made with a trained AI model",
    "algorithmicMedia": "made by an algorithm without sampled training data (algorithmic media), "
                        "such as procedural or fractal art",
    "dataDrivenMedia": "made by an algorithm from sampled data, such as a photo merged from many exposures "
                       "(data-driven media)",
    "compositeSynthetic": "a composite of elements, at least one of them synthetic (composite synthetic)",
    "algorithmicallyEnhanced": "a capture enhanced by an algorithm (algorithmically enhanced)",
    "digitalCapture": "captured with a digital camera or sensor (digital capture)",
    "computationalCapture": "captured with computational photography, combining several exposures "
                            "(computational capture)",
    "negativeFilm": "scanned from a film negative", "positiveFilm": "scanned from a film positive (slide)",
    "print": "scanned from a print", "humanEdits": "edited by a person (human edits)",
    "compositeCapture": "a composite of captured images (composite capture)",
    "composite": "a composite of several elements", "digitalArt": "drawn by a person with digital tools (digital art)",
    "virtualRecording": "recorded inside a virtual environment, such as a game (virtual recording)",
    "screenCapture": "a screenshot (screen capture)", "minorHumanEdits": "with minor edits by a person",
}
#: The source types that mean a trained (generative) AI model made all or part of the content.
AI_SOURCE_TYPES = {"trainedAlgorithmicMedia", "compositeWithTrainedAlgorithmicMedia"}

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


@dataclass(frozen=True)
class Failure:
    """One failed check: the status code, what it means in a sentence, and c2pa-rs's own explanation
    (kept for the expert, and left out of equality: two reports of one code mean the same)."""

    code: str
    sentence: str
    explanation: str = field(default="", compare=False)


@dataclass(frozen=True)
class Identity:
    """A CAWG identity assertion: who it names, by what kind of credential, and whether it verified."""

    named: str
    credential: str
    verified: bool
    status_text: str
    details: tuple[str, ...]
    failures: tuple[Failure, ...]
    signature_valid: bool = False  # signed as it says, whether or not anything you trust vouches for it


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
    notes: tuple[Failure, ...] = ()
    identities: tuple[Identity, ...] = ()
    certificate_text: str | None = None
    update_text: str | None = None
    thumbnail: bytes | None = None
    raw_json: str | None = None
    cr_json: str | None = None
    detail: str | None = None


def inspect(data: bytes, *, data_dir: Path, trust_anchors_file: Path | None = None,
            max_bytes: int = 20 * 2**20) -> ProvenanceSummary:
    """Summarise the Content Credentials in ``data``. Never raises: every outcome is a summary.

    ``data_dir`` holds the demo CA (trusted); ``trust_anchors_file`` adds anchors (None: none).
    """
    try:
        return _inspect(bytes(data), max_bytes, data_dir, trust_anchors_file)
    except Exception as exc:  # the viewer's last line: a hostile upload must not crash the page
        log.exception("inspect failed unexpectedly")
        return _unreadable("something unexpected went wrong",
                           f"Something unexpected went wrong while reading this file ({type(exc).__name__}). "
                           "Try another file, and tell your instructor if it keeps happening.",
                           detail=repr(exc))


def failure_sentence(code: str, explanation: str = "") -> Failure:
    """The sentence for a status code; a code this version does not know still shows, with c2pa's words."""
    known = meaning(code)
    if known:
        return Failure(code, known.sentence, explanation)
    why = f": {explanation.rstrip('.')}" if explanation else ""
    return Failure(code, f"The check {code} failed{why}.", explanation)


def _short_reason(code: str) -> str:
    known = meaning(code)
    return known.short if known else f"the check {code} failed"


def _unreadable(short: str, sentence: str, *, mime: str | None = None, detail: str | None = None,
                failures: tuple[Failure, ...] = ()) -> ProvenanceSummary:
    return ProvenanceSummary(verdict="unreadable", verdict_text=f"Unreadable: {short}", headline=sentence,
                             mime=mime, ai_text="Unknown: the credentials could not be read.",
                             failures=failures, detail=detail)


def _inspect(data: bytes, max_bytes: int, data_dir: Path,
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
    """c2pa's errors, sorted into what they mean for the learner. Nothing was read, so nothing is claimed
    about the signer, the time or AI use; the reader's own message stays in ``detail``."""
    message = str(exc)
    kind = message.split(":", 1)[0] if ":" in message else type(exc).__name__.lstrip("_").removeprefix("C2pa")
    fmt = FORMAT_NAMES[mime]
    lowered = message.lower()
    if isinstance(exc, c2pa.C2paError.ManifestNotFound):
        return ProvenanceSummary(
            verdict="none", verdict_text=STRIPPED_TEXT, mime=mime,
            headline="This image carries no Content Credentials. That does not mean a person made it: "
                     "re-saving, screenshotting or uploading to many sites removes them.")
    if kind in ("Remote", "RemoteManifest"):
        url = re.search(r"https?://[^\s)]+", message)
        where = f" at {url.group(0)}" if url else ""
        failure = failure_sentence("manifest.inaccessible", message)
        return _unreadable("its credentials are stored online and were not fetched",
                           f"This image's Content Credentials are stored online{where}, and this viewer "
                           "works offline, so it did not fetch them. Check it with an online verifier "
                           "such as contentcredentials.org/verify.",
                           mime=mime, detail=message, failures=(failure,))
    if "prerelease" in lowered:
        return _unreadable("it uses pre-1.0 C2PA",
                           "This file carries credentials in a pre-release (pre-1.0) C2PA format, which "
                           "current verifiers no longer read, so nothing in them was checked. A tool from "
                           "that time may still read them.",
                           mime=mime, detail=message,
                           failures=(failure_sentence("com.adobe.prerelease", message),))
    if "unknown algorithm" in lowered or "algorithm not supported" in lowered:
        return _unreadable("the hash algorithm is missing",
                           "This file's credentials do not name a hash algorithm the C2PA specification "
                           "allows (it is missing or unsupported), so they could not be checked and nothing "
                           "in them was read.",
                           mime=mime, detail=message,
                           failures=(failure_sentence("algorithm.unsupported", message),))
    if "could not be parsed" in message or kind in ("Io", "NotSupported"):
        return _unreadable("the file is damaged",
                           f"The file is damaged or cut short: it starts like a {fmt} image but its "
                           "structure cannot be parsed. Try the original file.", mime=mime, detail=message)
    return _unreadable("its credentials could not be read",
                       f"This {fmt} file carries Content Credentials that the reader could not decode "
                       f"({kind}), so nothing in them was checked or read. The raw data panel shows what "
                       "the reader reported.", mime=mime, detail=message)


def _manifest_of(url: str | None) -> str | None:
    """The manifest label inside a status entry's JUMBF URL (``self#jumbf=/c2pa/<label>/...``)."""
    match = re.match(r"self#jumbf=/?c2pa/([^/]+)", url or "")
    return match.group(1) if match else None


def _entries(codes: dict[str, Any] | None, kind: str) -> list[dict[str, Any]]:
    return [e for e in (codes or {}).get(kind) or [] if isinstance(e, dict)]


def _summarise(reader: c2pa.Reader, mime: str) -> ProvenanceSummary:
    """The verdict as c2pa-rs defines it, for the active manifest's own claim only.

    c2pa-rs files some results under ``activeManifest`` that are not about that claim: the failures of an
    ingredient's manifest (their URL names the ingredient's manifest) and CAWG identity results. Those
    are shown on the ingredient and in the identity section, in their own words; they never make the
    image's verdict Invalid. ``signingCredential.untrusted`` is about trust, not integrity: Valid.
    """
    raw_json = reader.json()
    store = json.loads(raw_json)
    manifests: dict[str, Any] = store.get("manifests") or {}
    active_label = store.get("active_manifest")
    active: dict[str, Any] = manifests.get(active_label) or {}
    ordered = [active] + [manifests[k] for k in sorted(manifests) if k != active_label]
    results = (store.get("validation_results") or {}).get("activeManifest") or {}
    own, identity, elsewhere = [], [], {}
    for entry in _entries(results, "failure"):
        label = _manifest_of(entry.get("url"))
        if label and label != active_label:
            elsewhere.setdefault(label, []).append(entry)
        elif scope_of(str(entry.get("code"))) == "identity":
            identity.append(entry)
        else:
            own.append(entry)
    failures = _expiry_explains_trust(_failures(own))
    successes = {str(e.get("code")) for e in _entries(results, "success")
                 if _manifest_of(e.get("url")) in (None, active_label)}
    informational = _failures([e for e in _entries(results, "informational")
                               if _manifest_of(e.get("url")) in (None, active_label)])
    deltas = _delta_failures((store.get("validation_results") or {}).get("ingredientDeltas") or [])
    ingredients = _ingredient_tree(reader, active, manifests, deltas, elsewhere, 0, {active_label})

    verdict = _verdict(failures, successes)
    signature = active.get("signature_info") or {}
    cr_json = _cr_json(reader)
    facts = _signature_facts(cr_json, active_label)
    if facts.time is None and signature.get("time"):  # crJSON unavailable: the reader's own time, no more
        facts = replace(facts, time=_parse_time(signature["time"]))
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
        reason = next((f.code for f in failures if scope_of(f.code) != "trust"), failures[0].code)
        short = _short_reason(reason)
        verdict_text = f"Invalid: {short}"
        headline = f"These Content Credentials failed validation: {short}. Do not rely on what they say."
    if ai and verdict != "invalid":
        headline += " " + _ai_text(ai)
    if any(i.verdict in ("invalid", "unreadable") for i in _walk(ingredients)):
        headline += " An ingredient has problems of its own; see the ingredient list."
    identities = tuple(_identities(active, identity, _entries(results, "success"), active_label))
    if any(not i.verified for i in identities):
        headline += " An identity claim in them was not verified; see the identity section."
    codes = {f.code for f in (*failures, *informational)} | successes
    return ProvenanceSummary(
        verdict=verdict, verdict_text=verdict_text, headline=headline, mime=mime, signer=signer,
        signed_at=_signed_at(facts, codes), certificate_text=_certificate_text(facts, codes),
        update_text=UPDATE_TEXT if facts.update else None,
        claim_generator=_claim_generator(active), software_agent=agent, ai_generated=ai,
        ai_text=_ai_text(ai), actions=tuple(_action_sentences(active)), description=_description(active),
        do_not_train=tuple(_do_not_train(active)), ingredients=ingredients, failures=failures,
        notes=informational, identities=identities,
        thumbnail=_thumbnail(reader, active), raw_json=raw_json, cr_json=cr_json)


#: What ``signingCredential.untrusted`` means beside ``signingCredential.expired``: c2pa-rs checks the chain
#: at today's date, so an expired certificate is "untrusted" even when it leads to your trust list.
EXPIRED_TRUST_SENTENCE = ("Whether the signer is on your trust list could not be established: the chain is checked "
                          "at today's date, and the signing certificate has expired.")


def _expiry_explains_trust(failures: tuple[Failure, ...]) -> tuple[Failure, ...]:
    if not {"signingCredential.expired", "signingCredential.untrusted"} <= {f.code for f in failures}:
        return failures
    return tuple(replace(f, sentence=EXPIRED_TRUST_SENTENCE) if f.code == "signingCredential.untrusted" else f
                 for f in failures)


def _verdict(failures: tuple[Failure, ...], successes: set[str]) -> Verdict:
    """Invalid for any failure of the claim itself (integrity, time); else Trusted or Valid by trust."""
    if any(scope_of(f.code) != "trust" for f in failures):
        return "invalid"
    return "trusted" if "signingCredential.trusted" in successes else "valid_untrusted"


@dataclass(frozen=True)
class _SignatureFacts:
    """What the active manifest's signature says about time, read from crJSON (c2pa's ``Reader.json()``
    has the signing time but neither the certificate's validity nor the time-stamp authority)."""

    time: dt.datetime | None = None
    authority: str | None = None
    not_after: dt.datetime | None = None
    update: bool = False


def _parse_time(value: Any) -> dt.datetime | None:
    try:
        time = dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None
    return time if time.tzinfo else time.replace(tzinfo=dt.UTC)


def when(time: dt.datetime) -> str:
    """A time as a learner reads it: ``6 December 2026, 13:37:59 UTC``."""
    utc = time.astimezone(dt.UTC)
    return f"{utc.day} {utc:%B %Y, %H:%M:%S} UTC"


def _name_of(info: Any) -> str | None:
    subject = info.get("subject") if isinstance(info, dict) else None
    if not isinstance(subject, dict):
        return None
    return next((str(subject[k]) for k in ("CN", "O") if subject.get(k)), None)


def _signature_facts(cr_json: str | None, label: str | None) -> _SignatureFacts:
    try:
        manifests = json.loads(cr_json or "{}").get("manifests") or []
    except (ValueError, AttributeError):
        return _SignatureFacts()
    manifest = next((m for m in manifests if isinstance(m, dict) and m.get("label") == label), None)
    if manifest is None:
        return _SignatureFacts()
    signature = manifest.get("signature") if isinstance(manifest.get("signature"), dict) else {}
    certificate = signature.get("certificateInfo") if isinstance(signature.get("certificateInfo"), dict) else {}
    stamp = signature.get("timeStampInfo") if isinstance(signature.get("timeStampInfo"), dict) else {}
    validity = certificate.get("validity") if isinstance(certificate.get("validity"), dict) else {}
    return _SignatureFacts(time=_parse_time(stamp.get("timestamp")) if stamp.get("timestamp") else None,
                           authority=_name_of(stamp.get("certificateInfo")),
                           not_after=_parse_time(validity.get("notAfter")) if validity.get("notAfter") else None,
                           update=manifest.get("isUpdateManifest") is True)


def _signed_at(facts: _SignatureFacts, codes: set[str]) -> str:
    """When it was signed, only as far as a time-stamp shows it, by whom, and whether you trust them;
    a broken time-stamp is named as such."""
    if facts.time:
        by = f"time-stamped by {facts.authority}" if facts.authority else "time-stamped"
        if "timeStamp.trusted" in codes:
            return f"{when(facts.time)}, {by}, a time-stamp authority on your trust list"
        if "timeStamp.untrusted" in codes:
            return (f"{when(facts.time)}, {by}, a time-stamp authority that is not on your trust list, so this "
                    "time is that authority's claim")
        return f"{when(facts.time)}, {by}"
    broken = [c for c in ("timeStamp.mismatch", "timeStamp.malformed", "timeStamp.outsideValidity") if c in codes]
    if broken:
        return (f"Unknown: the credentials carry a time-stamp, but {_short_reason(broken[0])}, so when it "
                "was signed cannot be shown")
    return NO_TIME_TEXT


def _certificate_text(facts: _SignatureFacts, codes: set[str], now: dt.datetime | None = None) -> str | None:
    """Whether the signing certificate was valid when it mattered: valid then, expired since, or neither.

    c2pa-rs checks the certificate at the time-stamped signing time when the time-stamp is trusted, and
    against today's date otherwise; the sentences say which of the two happened.
    """
    now = now or dt.datetime.now(dt.UTC)
    until = when(facts.not_after) if facts.not_after else None
    stamped = facts.time is not None and "timeStamp.trusted" in codes
    if "signingCredential.expired" in codes:
        text = f"The signing certificate expired on {until}" if until else "The signing certificate has expired"
        if facts.time and "timeStamp.untrusted" in codes:
            by = facts.authority or "a time-stamp authority"
            return (f"{text}. The signature is time-stamped, but by {by}, which is not on your trust list, so "
                    "nothing you trust shows that the certificate was still valid when this was signed.")
        return f"{text}, and no trusted time-stamp shows that it was still valid when this was signed."
    if "claimSignature.outsideValidity" in codes:
        return "The signature was made when the signing certificate was not valid."
    if "claimSignature.insideValidity" not in codes:
        return None
    if stamped and facts.not_after and facts.not_after < now:
        return (f"Valid then, expired since: the certificate was valid when the signature was time-stamped "
                f"({when(facts.time)}) and expired on {until}. The trusted time-stamp proves it was signed "
                "while the certificate was valid, so the expiry does not count against it.")
    if stamped:
        return (f"The certificate was valid when the signature was time-stamped ({when(facts.time)}) and "
                f"stays valid until {until or 'its expiry date'}; the trusted time-stamp keeps proving that "
                "it was signed in time after that.")
    valid = f"The signing certificate is valid until {until}." if until else "The signing certificate is valid today."
    why = "With no trusted time-stamp" if facts.time else "With no time-stamp"
    return (f"{valid} {why} it is checked against today's date, so these credentials will read as expired "
            "once the certificate expires.")


def _identity_name(data: dict[str, Any]) -> tuple[str, str, tuple[str, ...]]:
    """Who an identity assertion names, by what credential, and the verified identities it lists."""
    subject = data.get("credentialSubject") if isinstance(data.get("credentialSubject"), dict) else data
    verified = [v for v in (subject.get("verifiedIdentities") or data.get("verifiedIdentities") or [])
                if isinstance(v, dict)]
    details = []
    for v in verified:
        who = v.get("name") or v.get("username") or "someone"
        kind = str(v.get("type", "identity")).removeprefix("cawg.").replace("_", " ")
        provider = (v.get("provider") or {}).get("name") if isinstance(v.get("provider"), dict) else None
        where = f" at {provider}" if provider else ""
        uri = f", {v['uri']}" if v.get("uri") else ""  # a word of its own: copied without brackets
        details.append(f"{who}: {kind}{where}{uri}")
    types = data.get("type") or []
    if "IdentityClaimsAggregationCredential" in types or verified:
        named = ", ".join(str(v.get("name") or v.get("username")) for v in verified if v.get("name") or
                          v.get("username")) or "no one by name"
        issuer = data.get("issuer")
        credential = ("identities verified by an identity service (identity claims aggregation)"
                      + (f", issued by {issuer}" if issuer else ""))
        return named, credential, tuple(details)
    info = data.get("signature_info") or data.get("signer_info") or {}
    cert = info if isinstance(info, dict) else {}
    person, organisation = cert.get("common_name"), cert.get("issuer")  # c2pa's "issuer" is the subject's O=
    if person and organisation and person != organisation:
        named = f"{person} ({organisation})"
    else:
        named = person or organisation or data.get("name") or "a certificate holder"
    return str(named), "an X.509 certificate (cawg.x509.cose)", tuple(details)


#: CAWG results that are about who vouches for an identity's certificate, not about its signature.
_IDENTITY_TRUST_CODES = {"cawg.x509.credential.untrusted"}


def _identities(manifest: dict[str, Any], failures: list[dict[str, Any]], successes: list[dict[str, Any]],
                label: str | None) -> Iterator[Identity]:
    for assertion in manifest.get("assertions") or []:
        name = str(assertion.get("label", ""))
        if not name.startswith("cawg.identity"):
            continue
        data = assertion.get("data") if isinstance(assertion.get("data"), dict) else {}
        mine = [e for e in failures if str(e.get("url", "")).endswith(f"/{name}")]
        good = {str(e.get("code")) for e in successes if str(e.get("url", "")).endswith(f"/{name}")}
        named, credential, details = _identity_name(data)
        own = _failures(mine)
        signature_valid = bool(good & {"cawg.ica.credential_valid", "cawg.x509.signature.validated"})
        untrusted_only = bool(own) and all(f.code in _IDENTITY_TRUST_CODES for f in own)
        verified = not own and ("cawg.ica.credential_valid" in good or {"cawg.x509.signature.validated",
                                                                       "cawg.x509.credential.trusted"} <= good)
        if verified and "cawg.x509.credential.trusted" in good:
            text = "Verified: the signature is valid and its certificate is on your trust list."
        elif verified:
            text = "Verified: the identity service's credential is valid and signed by its issuer."
        elif signature_valid and not own:
            text = ("The signature is valid, but no check says whether its certificate is trusted, so the name is "
                    "the signer's claim.")
        elif signature_valid and untrusted_only:
            text = ("Signature valid, signer unknown: the identity is signed as it says, but the identity check "
                    "found no trusted certificate behind it, so the name is the signer's claim.")
        elif own:
            text = f"Not verified: {_short_reason(own[0].code)}."
        else:
            text = "Not verified: no check of it is reported."
        yield Identity(named=named, credential=credential, verified=verified, status_text=text,
                       details=details, failures=own, signature_valid=signature_valid and (verified or untrusted_only))


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
                     deltas: dict[str, list[dict[str, Any]]], elsewhere: dict[str, list[dict[str, Any]]],
                     depth: int, seen: set[str | None]) -> tuple[Ingredient, ...]:
    nodes = []
    for ing in manifest.get("ingredients") or []:
        label = ing.get("active_manifest")
        own = ing.get("validation_results") or {}
        entries = list((own.get("activeManifest") or {}).get("failure") or ing.get("validation_status") or [])
        uri = f"self#jumbf=/c2pa/{manifest.get('label')}/c2pa.assertions/{ing.get('label')}"
        entries += deltas.get(uri, [])
        entries += elsewhere.get(label, []) if label else []
        failures = _failures([e for e in entries if isinstance(e, dict)])
        successes = {e.get("code") for e in (own.get("activeManifest") or {}).get("success") or []}
        child = manifests.get(label) if label else None
        claim_problems = [f for f in failures if scope_of(f.code) not in ("trust", "identity")]
        if label is None and failures:  # e.g. its credentials are stored online and were not fetched
            verdict: Verdict = "unreadable"
            text = f"Unreadable: {_short_reason(failures[0].code)}"
        elif label is None:
            verdict, text = "none", "No Content Credentials of its own"
        elif claim_problems:
            verdict, text = "invalid", f"Invalid: {_short_reason(claim_problems[0].code)}"
        elif "signingCredential.trusted" in successes:
            verdict, text = "trusted", "Trusted"
        else:
            verdict, text = "valid_untrusted", UNTRUSTED_TEXT
        if label and any(scope_of(f.code) == "identity" for f in failures):
            text += "; an identity claim in it was not verified"
        children: tuple[Ingredient, ...] = ()
        if child and label not in seen and depth < _MAX_DEPTH:
            children = _ingredient_tree(reader, child, manifests, {}, elsewhere, depth + 1, seen | {label})
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
    return SOURCE_TYPES.get(source_type) or re.sub(r"(?<!^)(?=[A-Z])", " ", source_type).lower()


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
        if source:
            text += f": {_words(source)}"
        agent = _agent_text(action.get("softwareAgent"))
        sentences.append(text + (f", using {agent}" if agent else ""))
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
