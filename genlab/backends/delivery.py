"""Reading what a service sent back, believing nothing until it is checked.

A 200 is not an image. Proxies and captive portals answer with HTML, gateways with empty bodies,
streams stop in the middle of an event, and ``b64_json`` can hold anything. Each check here ends in
its own :class:`BackendError` sentence saying what happened, whether the request may have been billed,
and what to do; the raw answer (scrubbed, shortened) rides along for the page's "Raw answer" panel.

An image counts as made only when its bytes decode completely as an image. This module never imports
the ``openai`` SDK: it works on bytes, so it is tested on bytes.
"""

import base64
import binascii
import io
import json
import unicodedata
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from time import perf_counter
from typing import Any

from PIL import Image

from genlab.backends.types import BackendError, ImageResult
from genlab.images import MAX_PIXELS

#: Bytes of body allowed per image asked for (a 1536x1024 PNG is about 3 MB, 4 MB as base64), plus
#: room for the JSON around it and up to three partial images each.
BYTES_PER_IMAGE = 24 * 1024 * 1024
RAW_CHARS = 4000  # how much of an unreadable body the "Raw answer" panel shows
SAID_CHARS = 300  # how much of a service's own message goes into a sentence
FORMATS = {"png": "PNG", "jpeg": "JPEG", "webp": "WEBP"}
MIMES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp"}

MAYBE_BILLED = "It may have been billed: the request was sent, and no usage came back to say."
BILLED = "The service reported usage, so it was billed."


def body_limit(n: int, partial_images: int = 0) -> int:
    """The most bytes a body may have for ``n`` images (and their previews) before it is cut off."""
    return BYTES_PER_IMAGE * max(1, n) * (1 + partial_images) + 1024 * 1024


def plain(text: str, limit: int = SAID_CHARS) -> str:
    """Service text made safe to put in a sentence: control and format characters (a right-to-left
    override, zero-width characters, a bell) become a visible ``[U+202E]``, runs of whitespace one space,
    and anything past ``limit`` characters an ellipsis. Nothing invisible is added."""
    out = []
    for ch in text:
        category = unicodedata.category(ch)
        if ch in "\t\n\r":
            out.append(" ")
        elif category in ("Cc", "Cf", "Co", "Cs", "Zl", "Zp"):
            out.append(f"[U+{ord(ch):04X}]")
        else:
            out.append(ch)
    flat = " ".join("".join(out).split())
    return flat if len(flat) <= limit else flat[:limit - 1].rstrip() + "…"


def raw_text(data: bytes, scrub: Callable[[str], str]) -> str:
    """An unreadable body for the "Raw answer" panel: decoded leniently, scrubbed, shortened."""
    text = data[:RAW_CHARS * 4].decode("utf-8", errors="replace")
    text = "".join(ch if ch in "\n\t" or unicodedata.category(ch)[0] != "C" else f"[U+{ord(ch):04X}]"
                   for ch in text)
    more = f"\n… ({len(data):,} bytes in all)" if len(text) > RAW_CHARS or len(data) > RAW_CHARS * 4 else ""
    return scrub(text[:RAW_CHARS]) + more


@dataclass
class Reader:
    """Checks one answer for one request; ``service`` names it in sentences, ``scrub`` removes secrets."""

    service: str
    scrub: Callable[[Any], Any]
    output_format: str | None = None
    decode_s: float = 0.0  # time spent decoding base64 and checking images

    def error(self, kind: str, message: str, raw: Any = None, billed: bool = False) -> BackendError:
        return BackendError(kind=kind, message=f"{message} {BILLED if billed else MAYBE_BILLED}",
                            raw=raw, details={"maybe_billed": not billed, "billed": billed})

    # --- one image ----------------------------------------------------------------------------------

    def image(self, b64: Any) -> tuple[bytes | None, str | None]:
        """(bytes, None) for a base64 string that decodes to a whole image, else (None, what is wrong)."""
        if not isinstance(b64, str) or not b64:
            return None, "had no image data"
        started = perf_counter()
        try:
            data = base64.b64decode(b64, validate=True)
        except (binascii.Error, ValueError):
            return None, "was not valid base64"
        finally:
            self.decode_s += perf_counter() - started
        problem = image_problem(data)
        return (None, problem) if problem else (data, None)

    # --- a whole JSON answer ------------------------------------------------------------------------

    def json_body(self, body: bytes, content_type: str, result: ImageResult) -> None:
        """Fill ``result`` from a non-streamed 200 answer, or set ``result.error`` saying why not."""
        kind = content_type.split(";")[0].strip().lower()
        head = body.lstrip()[:200].lower()
        raw = raw_text(body, self.scrub)
        if "html" in kind or head.startswith((b"<!doctype", b"<html", b"<head", b"<body")):
            result.error = self.error("html_answer", (
                f"{self.service} answered with a web page (HTML) instead of images. A proxy, a Wi-Fi sign-in "
                "page or a wrong endpoint answered in its place: open a web page to check the network, then "
                "check the endpoint setting and try again."), raw)
            return
        if not body.strip():
            result.error = self.error("empty_answer", (
                f"{self.service} answered 'OK' (200) with an empty body, so no image came back. Try again; "
                "if it keeps happening, a proxy between this app and the service may be interfering."), raw)
            return
        if kind and not (kind == "application/json" or kind.endswith("+json")):
            result.error = self.error("wrong_content_type", (
                f"{self.service} answered with '{plain(kind, 80)}' content instead of JSON, so it could not be "
                "read as images. Something between this app and the service may be rewriting answers; try "
                "again, and check the endpoint setting."), raw)
            return
        try:
            parsed = json.loads(body)
        except (ValueError, UnicodeDecodeError):
            result.error = self.error("unreadable_answer", (
                f"{self.service} answered with text that is not valid JSON (it may have been cut short), so "
                "no image could be read. Try again."), raw)
            return
        self.parsed(parsed, result)

    def parsed(self, parsed: Any, result: ImageResult) -> None:
        """Check the shape of a parsed answer: an object with a non-empty ``data`` list of images."""
        shown = self.scrub(_shorten(parsed))
        if not isinstance(parsed, dict):
            result.error = self.error("unreadable_answer", (
                f"{self.service} answered with JSON that is not an object, so no image could be read. Try "
                "again."), shown)
            return
        usage = parsed.get("usage")
        if isinstance(usage, dict) and _numbers(usage):
            result.usage = usage
            result.billed = "yes"
        data = parsed.get("data")
        if "data" not in parsed or data is None:
            result.error = self.error("no_images", (
                f"{self.service} answered 'OK' but its answer had no images in it (no 'data'). Nothing was "
                "made; try again."), shown, billed=result.billed == "yes")
            return
        if not isinstance(data, list) or not data:
            result.error = self.error("no_images", (
                f"{self.service} answered 'OK' with an empty list of images. Nothing was made; try again, "
                "perhaps with a different prompt."), shown, billed=result.billed == "yes")
            return
        problems = []
        for item in data:
            if not isinstance(item, dict):
                problems.append("was empty (null)")
                continue
            picture, problem = self.image(item.get("b64_json"))
            if picture is None:
                problems.append(problem or "could not be read")
            else:
                result.images.append(picture)
            if isinstance(item.get("revised_prompt"), str):
                result.revised_prompt = result.revised_prompt or plain(item["revised_prompt"], 4000)
        self.finish(result, problems, shown, len(data))

    def finish(self, result: ImageResult, problems: list[str], raw: Any, count: int) -> None:
        """Images that decoded are the result; say what happened to any that did not."""
        if not result.images:
            first = problems[0] if problems else "could not be read"
            result.error = self.error("bad_image", (
                f"{self.service} answered, but its image {first}, so nothing can be shown"
                + (f" (all {count} images were unusable)" if count > 1 else "") + ". Try again."),
                raw, billed=result.billed == "yes")
            return
        if problems:
            result.notes.append(f"{len(problems)} of the {count} images {self.service} sent could not be "
                                f"used ({'; '.join(sorted(set(problems)))}); only the {len(result.images)} "
                                "that decode are shown.")
        found = image_format(result.images[0])
        result.mime = MIMES.get(found or "", "image/png")
        wanted = FORMATS.get(self.output_format or "png")
        if found and wanted and found != wanted:
            result.notes.append(f"You asked for {wanted} but {self.service} sent {found}; the file is kept as "
                                f"{found}.")


def image_problem(data: bytes) -> str | None:
    """None when ``data`` decodes completely as a PNG, JPEG or WEBP image of sane size, else what is wrong."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            with Image.open(io.BytesIO(data), formats=tuple(MIMES)) as im:
                if im.width * im.height > MAX_PIXELS:
                    return f"was {im.width}x{im.height} pixels, too large to be a real answer"
                im.load()
    except Exception:  # any decoder failure means "not a whole image"
        return "was not a complete image (its bytes do not decode)"
    return None


def image_format(data: bytes) -> str | None:
    try:
        with Image.open(io.BytesIO(data), formats=tuple(MIMES)) as im:
            return im.format
    except Exception:  # not an image
        return None


def _numbers(usage: dict[str, Any]) -> bool:
    return any(isinstance(v, int | float) and not isinstance(v, bool) and v > 0 for v in usage.values())


def _shorten(value: Any, depth: int = 0) -> Any:
    """A copy of a parsed answer fit for display: long strings (base64) cut, deep nesting flattened."""
    if isinstance(value, str):
        return value if len(value) <= 200 else value[:60] + f"… ({len(value):,} characters)"
    if depth > 6:
        return "…"
    if isinstance(value, dict):
        return {str(k)[:100]: _shorten(v, depth + 1) for k, v in list(value.items())[:50]}
    if isinstance(value, list):
        return [_shorten(v, depth + 1) for v in value[:20]]
    return value


def sse_events(chunks: Iterable[bytes]) -> Iterable[tuple[str | None, str]]:
    """Server-sent events from raw chunks: (event name, data) for each complete event. A partial event
    left at the end raises :class:`StreamCut`."""
    buffer = b""
    for chunk in chunks:
        buffer += chunk.replace(b"\r\n", b"\n")
        while b"\n\n" in buffer:
            block, buffer = buffer.split(b"\n\n", 1)
            event = _event(block)
            if event is not None:
                yield event
    if buffer.strip():
        event = _event(buffer)
        # A last event with no blank line after it is complete only if its data is whole JSON.
        if event is None or not _is_json(event[1]):
            raise StreamCut(buffer)
        yield event


class StreamCut(Exception):
    """The stream ended in the middle of an event."""

    def __init__(self, rest: bytes) -> None:
        super().__init__("stream ended mid-event")
        self.rest = rest


def _event(block: bytes) -> tuple[str | None, str] | None:
    name, data = None, []
    for line in block.decode("utf-8", errors="replace").split("\n"):
        if line.startswith(":") or not line:
            continue
        field, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if field == "event":
            name = value
        elif field == "data":
            data.append(value)
    if name is None and not data:
        return None
    return name, "\n".join(data)


def _is_json(text: str) -> bool:
    try:
        json.loads(text)
    except ValueError:
        return False
    return True
