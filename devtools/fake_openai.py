"""A loopback stand-in for the Azure OpenAI and OpenAI image endpoints, for tests and benchmarks.

The openai SDK 3.x talks through httpx2, so mocks written for httpx never see its traffic; a real
HTTP server on 127.0.0.1 does, whatever the SDK uses inside. This one speaks four routes:

- ``POST /openai/deployments/{deployment}/images/{generations|edits}?api-version=...`` (Azure classic)
- ``POST /openai/v1/images/{generations|edits}`` (Azure v1; the deployment is the ``model`` field)
- ``POST /v1/images/{generations|edits}`` (OpenAI)
- ``POST /openai/deployments/{deployment}/chat/completions?api-version=...`` (Azure classic chat, for a
  multimodal deployment in :data:`CHAT_DEPLOYMENTS`: it "describes" the first image it is sent, by
  decoding it and naming the main thing's colour, a guess at its shape, its size and its position)

It checks auth (``api-key`` header or ``Authorization: Bearer``), the api-version, deployment and model
names, a subset of the parameter rules, and parses multipart edits with the stdlib email parser. It
answers with real image bytes made by Pillow (marked as fake in a tEXt chunk), ``usage`` from the
token table in the research notes, and server-sent events when ``stream`` is true.

Failures are chosen by magic words in the prompt or a chat message's text (:data:`TRIGGERS`), by
credentials (a wrong key is 401, :data:`BLOCKED_KEY` is 403), by names (an unknown deployment is 404; an
image deployment on the chat route is 400), and :attr:`FakeOpenAI.refused_url` points at a closed port.
Error bodies are those in ``shared/reference/openai-images-api.md`` section 3.3; the ones marked
"assumed" there or here are shaped like the documented ones.

Tests use the ``fake_openai`` fixture (``tests/conftest_fake.py``: a fresh server per test); anything
else (the benchmark) uses :class:`FakeOpenAI` directly, as a context manager.
"""

import base64
import hashlib
import io
import json
import math
import socket
import struct
import threading
import time
from dataclasses import dataclass, field
from email.parser import BytesParser
from email.policy import HTTP
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from PIL import Image
from PIL.PngImagePlugin import PngInfo

AZURE_KEY = "azure-test-key-0123456789abcdef"
OPENAI_KEY = "sk-test-0123456789abcdefghij"
BLOCKED_KEY = "blocked-test-key-0123456789"
ENTRA_TOKEN = "fake-entra-token-0123456789"
API_VERSION = "2025-04-01-preview"
API_VERSIONS = frozenset({API_VERSION, "preview"})
#: Azure deployment name -> the model it runs.
DEPLOYMENTS = {"img15": "gpt-image-1.5", "gpt-image-1.5": "gpt-image-1.5", "img-mini": "gpt-image-1-mini",
               "gpt-image-1": "gpt-image-1"}
OPENAI_MODELS = frozenset({"gpt-image-1.5", "gpt-image-1-mini"})
#: Azure deployments of multimodal chat models (the chat route only): deployment name -> model.
CHAT_DEPLOYMENTS = {"vision": "gpt-4o", "gpt-4o": "gpt-4o", "gpt-4.1-mini": "gpt-4.1-mini"}
VISION_DEPLOYMENT = "vision"

#: Prompt words that make the server fail on purpose.
TRIGGERS: dict[str, str] = {
    "trigger:content_filter_prompt": "400, Azure inner_error.content_filter_results (violence high); on the "
                                     "chat route, Azure chat's content_filter body (innererror)",
    "trigger:content_filter_output": "400 (an error event mid-stream), Azure 'Generated image was filtered'",
    "trigger:content_filter_plain": "400, Azure's documented contentFilter body with no categories",
    "trigger:moderation_blocked": "400, OpenAI moderation_blocked with moderation_details",
    "trigger:invalid_value": "400, invalid_value for param 'size'",
    "trigger:429": "429 with Retry-After: 20 (and retry-after-ms), every time",
    "trigger:429once": "429 with retry-after-ms: 100 on the first try, then success",
    "trigger:500": "500, internal server error",
    "trigger:echo": "502, a misbehaving proxy that echoes the request headers (keys included) in its body",
    "trigger:timeout": "answers only after slow_s seconds (3 by default): past a short client timeout",
    # Odd behaviours of real services and of what stands between them and the app (proxies, portals):
    "trigger:silent": "accepts the connection and never answers (until the server stops)",
    "trigger:trickle": "200 whose JSON body arrives a byte every 0.2 s, far slower than any deadline",
    "trigger:html200": "200 text/html: a Wi-Fi sign-in page or a proxy's page instead of JSON",
    "trigger:wrong_type": "200 application/octet-stream: raw PNG bytes instead of JSON",
    "trigger:not_json": "200 application/json whose body is not JSON (cut short)",
    "trigger:bad_base64": "200 whose b64_json is not valid base64",
    "trigger:truncated_png": "200 whose b64_json is the first half of a PNG (with usage: it was billed)",
    "trigger:not_image": "200 whose b64_json decodes to bytes that are not an image",
    "trigger:empty_data": "200 with data: [] (and no usage)",
    "trigger:null_data": "200 with data: null",
    "trigger:null_entries": "200 with data: [null]",
    "trigger:missing_data": "200 with no data field at all",
    "trigger:huge": "200 announcing 2 GB of JSON and sending megabytes of it until the client stops",
    "trigger:stream_cut": "a stream (when partial images are asked) that ends in the middle of an event",
    "trigger:stream_incomplete": "a stream that sends its partial images and ends without a completed event",
    "trigger:stream_reset": "a stream whose connection is reset (TCP RST) after the partial images",
    "trigger:stream_error": "a stream that sends a server_error event after the partial images",
    "trigger:429long": "429 with Retry-After: 90",
    "trigger:quota": "429 insufficient_quota (a billing problem, not a rate limit)",
    "trigger:403": "403 per route: Azure's PermissionDenied (RBAC), OpenAI's organization verification",
    "trigger:502empty": "502 with an empty body (a gateway that failed before the service)",
    "trigger:control_chars": "400 whose message holds a right-to-left override, a bell, zero-width and Markdown",
}

#: The services' answers that go with some of the odd behaviours (texts assumed, shaped like real ones).
INSUFFICIENT_QUOTA = {"error": {
    "message": "You exceeded your current quota, please check your plan and billing details. For more "
               "information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes.",
    "type": "insufficient_quota", "param": None, "code": "insufficient_quota"}}
AZURE_403 = {"error": {"code": "PermissionDenied", "message": "Principal does not have access to API/Operation."}}
OPENAI_403 = {"error": {
    "message": "Your organization must be verified to use the model `gpt-image-1.5`. Please go to: "
               "https://platform.openai.com/settings/organization/general and click on Verify Organization.",
    "type": "invalid_request_error", "param": None, "code": None}}
CONTROL_CHARS = {"error": {
    "message": "Invalid prompt \u202eevil\u202c [click here](http://evil.example) **now**\u0007\u200b done",
    "type": "invalid_request_error", "param": None, "code": None}}
SERVER_ERROR_EVENT = {"type": "error", "error": {"type": "server_error", "code": "server_error",
                                                 "message": "The server had an error while processing your "
                                                            "request."}}
HTML_PAGE = (b"<!DOCTYPE html><html><head><title>Sign in to Wi-Fi</title></head><body><h1>Welcome</h1>"
             b"<p>Accept the terms to continue.</p></body></html>")

AZURE_SIZES = ("1024x1024", "1024x1536", "1536x1024")
OPENAI_SIZES = (*AZURE_SIZES, "auto")
QUALITIES = ("low", "medium", "high", "auto")
#: Output tokens per image by quality, for 1024x1024, 1024x1536, 1536x1024 (research notes 2.1).
OUTPUT_TOKENS = {"low": (272, 408, 400), "medium": (1056, 1584, 1568), "high": (4160, 6240, 6208)}
IMAGE_INPUT_TOKENS = 323  # per input image of an edit (invented: no source gives the real count)
SAFE = {"filtered": False, "severity": "safe"}
FILTER_CATEGORIES = ("hate", "self_harm", "sexual", "violence")


def azure_error(code: str, message: str, **extra: Any) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, **extra}}


def openai_error(code: str | None, message: str, type_: str = "invalid_request_error",
                 param: str | None = None, **extra: Any) -> dict[str, Any]:
    return {"error": {"message": message, "type": type_, "param": param, "code": code, **extra}}


CONTENT_FILTER_PROMPT = azure_error(
    "content_policy_violation",
    "Your request was rejected as a result of our safety system. Your prompt may contain text that is not "
    "allowed by our safety system.",
    type="invalid_request_error", param="prompt",
    inner_error={"code": "ResponsibleAIPolicyViolation", "revised_prompt": None, "content_filter_results": {
        "hate": SAFE, "self_harm": SAFE, "sexual": SAFE, "violence": {"filtered": True, "severity": "high"},
        "jailbreak": {"filtered": False, "detected": False}}},
)
CONTENT_FILTER_CHAT = {"error": {
    "message": "The response was filtered due to the prompt triggering Azure OpenAI's content management policy. "
               "Please modify your prompt and retry. To learn more about our content filtering policies please "
               "read our documentation: https://go.microsoft.com/fwlink/?linkid=2198766",
    "type": None, "param": "prompt", "code": "content_filter", "status": 400,
    "innererror": {"code": "ResponsibleAIPolicyViolation", "content_filter_result": {
        "hate": SAFE, "jailbreak": {"filtered": False, "detected": False}, "self_harm": SAFE, "sexual": SAFE,
        "violence": {"filtered": True, "severity": "high"}}}}}
CONTENT_FILTER_OUTPUT = azure_error("contentFilter", "Generated image was filtered as a result of our safety "
                                                     "system.")
CONTENT_FILTER_PLAIN = azure_error("contentFilter", "Your task failed as a result of our safety system.")
MODERATION_BLOCKED = openai_error(
    "moderation_blocked", "Your request was rejected by the safety system. If you believe this is an error, "
    "contact us at help.openai.com and include the request ID. safety_violations=[violence].",
    type_="image_generation_user_error", moderation_details={"moderation_stage": "input",
                                                             "categories": ["violence"]},
)
AZURE_401 = azure_error(
    "401", "Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a "
    "valid key for an active subscription and use a correct regional API endpoint for your resource.")
BLOCKED_403 = azure_error(
    "Forbidden", "Your resource has been temporarily blocked because we detected behavior that may violate "
    "our content policy.")
DEPLOYMENT_NOT_FOUND = azure_error(
    "DeploymentNotFound", "The API deployment for this resource does not exist. If you created the "
    "deployment within the last 5 minutes, please wait a moment and try again.")
RESOURCE_NOT_FOUND = azure_error("404", "Resource not found")
MISSING_API_VERSION = azure_error(  # text assumed (research notes 3.3)
    "MissingApiVersionParameter",
    "The api-version query parameter (?api-version=) is required for all requests.")
AZURE_500 = azure_error("InternalServerError", "The service is temporarily unable to process your request. "
                                               "Please try again later.")
OPENAI_500 = openai_error(None, "The server had an error while processing your request. Sorry about that!",
                          type_="server_error")
OPERATION_NOT_SUPPORTED = azure_error(  # an image deployment asked to chat
    "OperationNotSupported", "The chatCompletion operation does not work with the specified model, {model}. "
    "Please choose different model and try again. You can learn more about which models can be used with each "
    "operation here: https://go.microsoft.com/fwlink/?linkid=2197993.")
INVALID_IMAGE = azure_error("BadRequest", "Invalid image data.")  # text assumed
INVALID_IMAGE_URL = azure_error(  # text assumed: this stand-in cannot fetch URLs, only read data URLs
    "BadRequest", "Invalid image URL. The URL must be a valid HTTP or HTTPS URL, or a data URL with base64 "
    "encoding.")
INVALID_SIZE = openai_error("invalid_value", "Invalid value: '4096x4096'. Supported values are: '1024x1024', "
                            "'1024x1536', '1536x1024', and 'auto'.", param="size")


def masked(key: str) -> str:
    """How OpenAI's 401 quotes a wrong key: its start and end, stars between (why scrubbing matters)."""
    return key[:6] + "*" * max(0, len(key) - 10) + key[-4:]


def azure_429(api_version: str, seconds: int, operation: str = "ImageGenerations_Create") -> dict[str, Any]:
    return azure_error("429", f"Requests to the {operation} Operation under Azure OpenAI API "
                              f"version {api_version} have exceeded call rate limit of your current OpenAI "
                              f"S0 pricing tier. Please retry after {seconds} seconds. Please go here: "
                              "https://aka.ms/oai/quotaincrease if you would like to further increase the "
                              "default rate limit.")


def openai_429(model: str, seconds: int) -> dict[str, Any]:
    return openai_error("rate_limit_exceeded", f"Rate limit reached for {model} in organization org-fake on "
                        "images per minute (IPM): Limit 5, Used 5, Requested 1. Please try again in "
                        f"{seconds}s.", type_="requests")


@lru_cache(maxsize=64)
def fake_image(size: str, fmt: str, seed: str, transparent: bool = False) -> bytes:
    """A real image of ``size`` in ``fmt``: a flat colour picked by ``seed``, marked as made by this fake.

    Cached, because encoding 1024x1024 pictures would otherwise dominate the test run.
    """
    width, height = (1024, 1024) if size == "auto" else (int(v) for v in size.split("x"))
    digest = hashlib.sha256(seed.encode()).digest()
    mode = "RGBA" if transparent and fmt != "jpeg" else "RGB"
    colour = (*digest[:3], 128) if mode == "RGBA" else tuple(digest[:3])
    img = Image.new(mode, (width, height), colour)
    out = io.BytesIO()
    if fmt == "png":
        info = PngInfo()
        info.add_text("Software", "devtools/fake_openai.py stand-in (not a real model output)")
        img.save(out, format="PNG", pnginfo=info, compress_level=1)
    else:
        img.save(out, format={"jpeg": "JPEG", "webp": "WEBP"}[fmt], quality=80)
    return out.getvalue()


def png_bytes(width: int, height: int, colour: tuple[int, ...] = (200, 30, 30),
              transparent_box: tuple[int, int, int, int] | None = None) -> bytes:
    """A PNG for tests (an image to edit, or a mask when ``transparent_box`` is given)."""
    img = Image.new("RGBA" if transparent_box else "RGB", (width, height),
                    (*colour, 255) if transparent_box else colour)
    if transparent_box:
        img.paste((0, 0, 0, 0), transparent_box)
    out = io.BytesIO()
    img.save(out, format="PNG")
    return out.getvalue()


#: Colour words the chat route can use, with a typical RGB value of each (nearest one wins).
COLOUR_NAMES: dict[str, tuple[int, int, int]] = {
    "black": (0, 0, 0), "white": (255, 255, 255), "grey": (128, 128, 128), "red": (210, 35, 35),
    "orange": (245, 140, 20), "yellow": (240, 220, 40), "green": (40, 170, 60), "blue": (40, 90, 220),
    "purple": (130, 50, 170), "pink": (240, 130, 180), "brown": (135, 80, 35)}


def colour_name(rgb: Any) -> str:
    return min(COLOUR_NAMES, key=lambda name: sum((int(a) - b) ** 2 for a, b in zip(rgb, COLOUR_NAMES[name],
                                                                                   strict=True)))


def describe_picture(image: Image.Image) -> str:
    """One sentence about ``image``, the way a multimodal model would caption a toy-world picture.

    The background is the commonest colour on the border; the "thing" is every pixel clearly unlike it.
    Its colour is their median, its shape a guess from how much of its bounding box it fills.
    """
    import numpy as np

    picture = image.convert("RGB")
    if max(picture.size) > 128:
        picture.thumbnail((128, 128), Image.Resampling.NEAREST)
    pixels = np.asarray(picture, dtype=np.int16)
    height, width = pixels.shape[:2]
    border = np.concatenate([pixels[0], pixels[-1], pixels[:, 0], pixels[:, -1]])
    colours, counts = np.unique(border, axis=0, return_counts=True)
    background = colours[counts.argmax()]
    thing = np.abs(pixels - background).max(axis=2) > 48
    if thing.sum() < 0.005 * thing.size:
        return f"A plain {colour_name(background)} image with nothing else in it."
    ys, xs = np.nonzero(thing)
    box_w, box_h = xs.max() - xs.min() + 1, ys.max() - ys.min() + 1
    fill = thing.sum() / (box_w * box_h)
    if fill >= 0.9:
        shape = "square" if 0.8 <= box_w / box_h <= 1.25 else "rectangle"
    else:
        shape = "circle" if fill >= 0.7 else "triangle" if fill >= 0.42 else "shape"
    extent = max(box_w / width, box_h / height)
    size = "small" if extent < 0.35 else "medium-sized" if extent < 0.65 else "large"
    column = ("left", "centre", "right")[min(2, int(3 * xs.mean() / width))]
    row = ("top", "middle", "bottom")[min(2, int(3 * ys.mean() / height))]
    where = {("middle", "centre"): "in the centre", ("middle", "left"): "on the left",
             ("middle", "right"): "on the right", ("top", "centre"): "at the top",
             ("bottom", "centre"): "at the bottom"}.get((row, column), f"in the {row} {column}")
    colour = colour_name(np.median(pixels[thing], axis=0))
    return f"A {size} {colour} {shape} {where} on a {colour_name(background)} background."


def vision_tokens(width: int, height: int, detail: str) -> int:
    """Input tokens for one image on a GPT-4o-class model: 85, plus 170 per 512-pixel tile unless low detail."""
    if detail == "low":
        return 85
    scale = min(1.0, 2048 / max(width, height))
    width, height = width * scale, height * scale
    scale = min(1.0, 768 / min(width, height))
    return 85 + 170 * math.ceil(width * scale / 512) * math.ceil(height * scale / 512)


@dataclass
class RecordedRequest:
    """One request as the server saw it (headers with lower-case names)."""

    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    json: dict[str, Any] | None = None
    fields: dict[str, str] = field(default_factory=dict)
    #: (field name, filename, content type, bytes) per uploaded file
    files: list[tuple[str, str | None, str, bytes]] = field(default_factory=list)

    @property
    def params(self) -> dict[str, Any]:
        """The request's parameters, whichever way they came (JSON body or form fields)."""
        return self.json if self.json is not None else self.fields


class _Reply(Exception):
    """Raised inside the handler to answer with an error body at once (``None``: an empty body)."""

    def __init__(self, status: int, body: dict[str, Any] | None, headers: dict[str, str] | None = None) -> None:
        super().__init__(status)
        self.status, self.body, self.headers = status, body, headers or {}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    # Headers and body go out in two writes; with Nagle's algorithm on, the second waits for the
    # client's delayed ACK (~40 ms), which would swamp every timing taken against this server.
    disable_nagle_algorithm = True
    server: "_Server"

    def log_message(self, format: str, *args: Any) -> None:  # keep test output clean
        pass

    def do_GET(self) -> None:
        self._send(404, RESOURCE_NOT_FOUND)

    def do_POST(self) -> None:
        fake = self.server.fake
        url = urlsplit(self.path)
        record = RecordedRequest("POST", url.path, dict(parse_qsl(url.query)),
                                 {k.lower(): v for k, v in self.headers.items()})
        fake.requests.append(record)
        try:
            raw = self._body()
            flavor, deployment, op = self._route(url.path)
            self._auth(flavor)
            if flavor == "azure-classic":
                self._api_version(record.query.get("api-version"))
            self._parse(raw, record)
            if op == "chat":
                assert deployment is not None
                self._chat(deployment, record)
                return
            model = self._model(flavor, deployment, record.params.get("model"))
            params = record.params
            prompt = str(params.get("prompt") or "")
            self._triggers(prompt, flavor, record, model)
            self._validate(flavor, op, params, record)
            self._answer(flavor, op, params, record, model)
        except _Reply as reply:
            self._send(reply.status, reply.body, reply.headers)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    # --- request parsing -------------------------------------------------------------------------

    def _body(self) -> bytes:
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            chunks = []
            while (size := int(self.rfile.readline().split(b";")[0], 16)) > 0:
                chunks.append(self.rfile.read(size))
                self.rfile.readline()
            self.rfile.readline()
            return b"".join(chunks)
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _route(self, path: str) -> tuple[str, str | None, str]:
        parts = [p for p in path.split("/") if p]
        if parts[:2] == ["openai", "deployments"] and len(parts) == 5 and parts[3] == "images":
            flavor, deployment, op = "azure-classic", parts[2], parts[4]
        elif parts[:2] == ["openai", "deployments"] and len(parts) == 5 and parts[3:] == ["chat", "completions"]:
            flavor, deployment, op = "azure-classic", parts[2], "chat"
        elif parts[:3] == ["openai", "v1", "images"] and len(parts) == 4:
            flavor, deployment, op = "azure-v1", None, parts[3]
        elif parts[:2] == ["v1", "images"] and len(parts) == 3:
            flavor, deployment, op = "openai", None, parts[2]
        else:
            raise _Reply(404, RESOURCE_NOT_FOUND)
        if op not in ("generations", "edits", "chat"):
            raise _Reply(404, RESOURCE_NOT_FOUND)
        return flavor, deployment, op

    def _auth(self, flavor: str) -> None:
        """Azure takes ``api-key: KEY`` or ``Authorization: Bearer KEY-or-token``; OpenAI only the latter."""
        api_key = self.headers.get("api-key")
        authorization = self.headers.get("Authorization", "")
        bearer = authorization[len("Bearer "):].strip() if authorization.startswith("Bearer ") else None
        if flavor == "openai":
            given, valid = bearer, {OPENAI_KEY}
        elif api_key is not None:
            given, valid = api_key, {AZURE_KEY}
        else:
            given, valid = bearer, {AZURE_KEY, ENTRA_TOKEN}
        if given == BLOCKED_KEY:
            raise _Reply(403, BLOCKED_403)
        if given in valid:
            return
        if flavor == "openai":
            raise _Reply(401, openai_error("invalid_api_key", "Incorrect API key provided: "
                                           f"{masked(given or '')}. You can find your API key at "
                                           "https://platform.openai.com/account/api-keys."))
        raise _Reply(401, AZURE_401)

    def _api_version(self, version: str | None) -> None:
        if version is None:
            raise _Reply(400, MISSING_API_VERSION)
        if version not in API_VERSIONS:
            raise _Reply(404, RESOURCE_NOT_FOUND)

    def _parse(self, raw: bytes, record: RecordedRequest) -> None:
        ctype = self.headers.get("Content-Type", "")
        if ctype.startswith("multipart/form-data"):
            head = b"Content-Type: " + ctype.encode() + b"\r\n\r\n"
            message = BytesParser(policy=HTTP).parsebytes(head + raw)
            for part in message.iter_parts():
                name = part.get_param("name", header="content-disposition")
                data = part.get_payload(decode=True) or b""
                if part.get_filename() is None:
                    record.fields[str(name)] = data.decode()
                else:
                    record.files.append((str(name), part.get_filename(), part.get_content_type(), data))
        else:
            try:
                record.json = json.loads(raw or b"{}")
            except json.JSONDecodeError:
                raise _Reply(400, openai_error("invalid_json", "We could not parse the JSON body of your "
                                               "request.")) from None

    def _model(self, flavor: str, deployment: str | None, model: Any) -> str:
        if flavor == "azure-classic":
            assert deployment is not None
            if deployment not in DEPLOYMENTS:
                raise _Reply(404, DEPLOYMENT_NOT_FOUND)
            return DEPLOYMENTS[deployment]
        if flavor == "azure-v1":
            if model not in DEPLOYMENTS:
                raise _Reply(404, DEPLOYMENT_NOT_FOUND)
            return DEPLOYMENTS[model]
        if model not in OPENAI_MODELS:
            raise _Reply(404, openai_error("model_not_found", f"The model `{model}` does not exist or you do "
                                           "not have access to it."))
        return str(model)

    # --- behaviour ----------------------------------------------------------------------------------

    def _triggers(self, prompt: str, flavor: str, record: RecordedRequest, model: str) -> None:
        fake = self.server.fake
        azure = flavor != "openai"
        streaming = str(record.params.get("stream")).lower() == "true"
        operation = "ChatCompletions_Create" if record.path.endswith("/chat/completions") else "ImageGenerations_Create"
        if "trigger:content_filter_prompt" in prompt:
            raise _Reply(400, CONTENT_FILTER_PROMPT)
        if "trigger:content_filter_output" in prompt and not streaming:
            raise _Reply(400, CONTENT_FILTER_OUTPUT)
        if "trigger:content_filter_plain" in prompt:
            raise _Reply(400, CONTENT_FILTER_PLAIN)
        if "trigger:moderation_blocked" in prompt:
            raise _Reply(400, MODERATION_BLOCKED)
        if "trigger:invalid_value" in prompt:
            raise _Reply(400, INVALID_SIZE)
        if "trigger:429once" in prompt:
            with fake.lock:
                fake.attempts[prompt] = fake.attempts.get(prompt, 0) + 1
                first = fake.attempts[prompt] == 1
            if first:
                raise _Reply(429, azure_429(record.query.get("api-version", "v1"), 1, operation) if azure
                             else openai_429(model, 1), {"retry-after-ms": "100", "Retry-After": "1"})
        elif "trigger:429" in prompt and "trigger:429long" not in prompt:
            raise _Reply(429, azure_429(record.query.get("api-version", "v1"), 20, operation) if azure
                         else openai_429(model, 20), {"Retry-After": "20", "retry-after-ms": "20000"})
        if "trigger:500" in prompt:
            raise _Reply(500, AZURE_500 if azure else OPENAI_500)
        if "trigger:echo" in prompt:
            echoed = f"Upstream failed for request with headers {json.dumps(record.headers)}"
            raise _Reply(502, {"error": {"code": "BadGateway", "message": echoed,
                                         "request_headers": record.headers}})
        if "trigger:timeout" in prompt:
            fake.stopping.wait(fake.slow_s)
        if "trigger:silent" in prompt:
            fake.stopping.wait()
            raise _Reply(500, OPENAI_500)
        if "trigger:429long" in prompt:
            raise _Reply(429, azure_429(record.query.get("api-version", "v1"), 90, operation) if azure
                         else openai_429(model, 90), {"Retry-After": "90"})
        if "trigger:quota" in prompt:
            raise _Reply(429, INSUFFICIENT_QUOTA)
        if "trigger:403" in prompt:
            raise _Reply(403, AZURE_403 if azure else OPENAI_403)
        if "trigger:502empty" in prompt:
            raise _Reply(502, None)
        if "trigger:control_chars" in prompt:
            raise _Reply(400, CONTROL_CHARS)

    def _validate(self, flavor: str, op: str, params: dict[str, Any], record: RecordedRequest) -> None:
        """A subset of the real rules, so the SDK's error path can be exercised without our own checks."""
        def invalid(param: str, value: Any, allowed: tuple[str, ...]) -> _Reply:
            listed = ", ".join(f"'{a}'" for a in allowed[:-1]) + f", and '{allowed[-1]}'"
            return _Reply(400, openai_error("invalid_value", f"Invalid value: '{value}'. Supported values "
                                            f"are: {listed}.", param=param))

        prompt = params.get("prompt")
        if not prompt:
            raise _Reply(400, openai_error("missing_required_parameter",
                                           "Missing required parameter: 'prompt'.", param="prompt"))
        if len(str(prompt)) > 32_000:
            raise _Reply(400, openai_error("string_above_max_length", "Invalid 'prompt': string too long. "
                                           "Expected a string with maximum length 32000.", param="prompt"))
        sizes = OPENAI_SIZES if flavor == "openai" else AZURE_SIZES
        if "size" in params and params["size"] not in sizes:
            raise invalid("size", params["size"], sizes)
        if "quality" in params and params["quality"] not in QUALITIES:
            raise invalid("quality", params["quality"], QUALITIES)
        formats = ("png", "jpeg", "webp") if flavor == "openai" else ("png", "jpeg")
        if "output_format" in params and params["output_format"] not in formats:
            raise invalid("output_format", params["output_format"], formats)
        if not 1 <= int(params.get("n", 1)) <= 10:
            raise _Reply(400, openai_error("integer_above_max_value", "Invalid 'n': integer out of range. "
                                           "Expected a value between 1 and 10.", param="n"))
        if op == "edits":
            images = [f for f in record.files if f[0] in ("image", "image[]")]
            if not images or len(images) > 16:
                raise _Reply(400, openai_error("invalid_value", "Provide between 1 and 16 images.",
                                               param="image"))
            masks = [f for f in record.files if f[0] == "mask"]
            if masks:
                with Image.open(io.BytesIO(masks[0][3])) as m, Image.open(io.BytesIO(images[0][3])) as first:
                    if m.format != "PNG" or m.size != first.size:
                        raise _Reply(400, openai_error("invalid_image", "Invalid mask image format - mask "
                                                       "size does not match image size", param="mask"))

    def _answer(self, flavor: str, op: str, params: dict[str, Any], record: RecordedRequest,
                model: str) -> None:
        azure = flavor != "openai"
        size = str(params.get("size", "1024x1024"))
        default_quality = ("medium" if model == "gpt-image-1-mini" else "high") if azure else "medium"
        quality = str(params.get("quality", "auto"))
        quality = default_quality if quality == "auto" else quality
        fmt = str(params.get("output_format", "png"))
        n = int(params.get("n", 1))
        transparent = params.get("background") == "transparent"
        prompt = str(params["prompt"])
        per_image = OUTPUT_TOKENS[quality][AZURE_SIZES.index(size) if size in AZURE_SIZES else 0]
        text_tokens = math.ceil(len(prompt) / 4)
        image_tokens = IMAGE_INPUT_TOKENS * len([f for f in record.files if f[0] in ("image", "image[]")])
        usage = {"input_tokens": text_tokens + image_tokens,
                 "input_tokens_details": {"image_tokens": image_tokens, "text_tokens": text_tokens},
                 "output_tokens": per_image * n, "total_tokens": text_tokens + image_tokens + per_image * n,
                 "output_tokens_details": {"image_tokens": per_image * n, "text_tokens": 0}}
        common = {"background": "transparent" if transparent else "opaque", "output_format": fmt,
                  "quality": quality, "size": "1024x1024" if size == "auto" else size}
        images = [fake_image(size, fmt, f"{prompt}#{i}", transparent) for i in range(n)]
        if self._odd_answer(prompt, images, usage, common, streaming=str(params.get("stream")).lower() == "true"):
            return
        if str(params.get("stream")).lower() == "true":
            self._stream(op, int(params.get("partial_images", 0)), images, usage, common, prompt)
            return
        data = []
        for image in images:
            item: dict[str, Any] = {"b64_json": base64.b64encode(image).decode()}
            if azure:
                item["content_filter_results"] = dict.fromkeys(FILTER_CATEGORIES, SAFE)
            data.append(item)
        body: dict[str, Any] = {"created": int(time.time()), "data": data, "usage": usage, **common}
        self._send(200, body)

    def _odd_answer(self, prompt: str, images: list[bytes], usage: dict[str, Any], common: dict[str, Any],
                    streaming: bool) -> bool:
        """The 200s that are not what they seem (see :data:`TRIGGERS`); False when none applies."""
        good = base64.b64encode(images[0]).decode()
        half = base64.b64encode(images[0][:len(images[0]) // 2]).decode()
        bodies: dict[str, Any] = {
            "trigger:bad_base64": {"data": [{"b64_json": "not base64 at all!" + good[:20]}]},
            "trigger:truncated_png": {"data": [{"b64_json": half}], "usage": usage},
            "trigger:not_image": {"data": [{"b64_json": base64.b64encode(b"hello, this is not a picture").decode()}]},
            "trigger:empty_data": {"data": []},
            "trigger:null_data": {"data": None},
            "trigger:null_entries": {"data": [None]},
            "trigger:missing_data": {},
        }
        for trigger, body in bodies.items():
            if trigger in prompt and not streaming:
                self._send(200, {"created": int(time.time()), **body, **common})
                return True
        if "trigger:html200" in prompt:
            self._send_raw(200, HTML_PAGE, "text/html; charset=utf-8")
        elif "trigger:wrong_type" in prompt:
            self._send_raw(200, images[0], "application/octet-stream")
        elif "trigger:not_json" in prompt:
            self._send_raw(200, b'{"created": 1, "data": [{"b64_json": "iVBORw0KGgo', "application/json")
        elif "trigger:trickle" in prompt:
            self._trickle(json.dumps({"data": [{"b64_json": good}], "usage": usage}).encode())
        elif "trigger:huge" in prompt:
            self._huge()
        else:
            return False
        return True

    def _send_raw(self, status: int, data: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self._common_headers()
        self.end_headers()
        self.wfile.write(data)

    def _trickle(self, body: bytes) -> None:
        """The whole body announced, then one byte every 0.2 s (until done, stopped or hung up)."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self._common_headers()
        self.end_headers()
        self.wfile.flush()
        fake = self.server.fake
        for i in range(len(body)):
            if fake.stopping.wait(0.2):
                return
            self.wfile.write(body[i:i + 1])
            self.wfile.flush()

    def _huge(self) -> None:
        """2 GB announced; megabytes of a never-ending base64 string sent until the client stops reading."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(2 * 1024**3))
        self._common_headers()
        self.end_headers()
        self.wfile.write(b'{"data": [{"b64_json": "')
        chunk = b"A" * (1024 * 1024)
        fake = self.server.fake
        for _ in range(2048):
            if fake.stopping.is_set():
                return
            self.wfile.write(chunk)
            with fake.lock:
                fake.bytes_sent += len(chunk)

    def _chat(self, deployment: str, record: RecordedRequest) -> None:
        """Azure classic chat completions on a multimodal deployment: text parts and ``image_url`` parts in,
        one sentence about the first image out (not streamed)."""
        if deployment in DEPLOYMENTS:  # an image model cannot chat
            message = OPERATION_NOT_SUPPORTED["error"]["message"].format(model=DEPLOYMENTS[deployment])
            raise _Reply(400, azure_error("OperationNotSupported", message))
        if deployment not in CHAT_DEPLOYMENTS:
            raise _Reply(404, DEPLOYMENT_NOT_FOUND)
        model = CHAT_DEPLOYMENTS[deployment]
        messages = (record.json or {}).get("messages")
        if not isinstance(messages, list) or not messages:
            raise _Reply(400, openai_error(None, "'messages' is a required property and must be a non-empty "
                                           "array.", param="messages"))
        texts: list[str] = []
        pictures: list[tuple[Image.Image, str]] = []
        for message in messages:
            content = message.get("content") if isinstance(message, dict) else None
            parts = [{"type": "text", "text": content}] if isinstance(content, str) else content or []
            for part in parts:
                if part.get("type") == "text":
                    texts.append(str(part.get("text", "")))
                elif part.get("type") == "image_url":
                    pictures.append(self._picture(part.get("image_url") or {}))
        prompt = " ".join(texts)
        if "trigger:content_filter_prompt" in prompt:
            raise _Reply(400, CONTENT_FILTER_CHAT)
        self._triggers(prompt, "azure-classic", record, model)
        if pictures:
            answer = describe_picture(pictures[0][0])
        else:
            answer = "I don't see an image in your message; attach one and I will describe it."
        image_tokens = sum(vision_tokens(*p.size, detail) for p, detail in pictures)
        prompt_tokens = math.ceil(len(prompt) / 4) + 7 * len(messages) + image_tokens
        completion_tokens = math.ceil(len(answer) / 4)
        filtered = {**dict.fromkeys(FILTER_CATEGORIES, SAFE)}
        number = len(self.server.fake.requests)
        self._send(200, {
            "id": f"chatcmpl-fake{number:06d}", "object": "chat.completion", "created": int(time.time()),
            "model": f"{model}-2024-11-20" if model == "gpt-4o" else f"{model}-2025-04-14",
            "system_fingerprint": "fp_fake0001",
            "prompt_filter_results": [{"prompt_index": 0, "content_filter_results": {
                **filtered, "jailbreak": {"filtered": False, "detected": False}}}],
            "choices": [{"index": 0, "finish_reason": "stop", "logprobs": None,
                         "message": {"role": "assistant", "content": answer, "refusal": None, "annotations": []},
                         "content_filter_results": {**filtered,
                                                    "protected_material_text": {"filtered": False,
                                                                                "detected": False}}}],
            "usage": {"prompt_tokens": prompt_tokens, "completion_tokens": completion_tokens,
                      "total_tokens": prompt_tokens + completion_tokens,
                      "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
                      "completion_tokens_details": {"reasoning_tokens": 0, "audio_tokens": 0,
                                                    "accepted_prediction_tokens": 0,
                                                    "rejected_prediction_tokens": 0}}})

    def _picture(self, image_url: dict[str, Any]) -> tuple[Image.Image, str]:
        """The image of one ``image_url`` part (only base64 data URLs: this stand-in fetches nothing)."""
        url = str(image_url.get("url", ""))
        head, _, data = url.partition(",")
        if not (head.startswith("data:image/") and head.endswith(";base64")):
            raise _Reply(400, INVALID_IMAGE_URL)
        try:
            picture = Image.open(io.BytesIO(base64.b64decode(data, validate=True)))
            picture.load()
        except (ValueError, OSError):
            raise _Reply(400, INVALID_IMAGE) from None
        return picture, str(image_url.get("detail", "auto"))

    def _stream(self, op: str, partials: int, images: list[bytes], usage: dict[str, Any],
                common: dict[str, Any], prompt: str) -> None:
        prefix = "image_edit" if op == "edits" else "image_generation"
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self._common_headers()
        self.end_headers()
        self.close_connection = True

        def event(payload: dict[str, Any]) -> None:
            name = payload.get("type", "error")
            self.wfile.write(f"event: {name}\ndata: {json.dumps(payload)}\n\n".encode())
            self.wfile.flush()

        size = common["size"]
        for i in range(partials):
            partial = fake_image(size, common["output_format"], f"{prompt}#partial{i}")
            event({"type": f"{prefix}.partial_image", "partial_image_index": i,
                   "created_at": int(time.time()), "b64_json": base64.b64encode(partial).decode(), **common})
        if "trigger:content_filter_output" in prompt:
            event(CONTENT_FILTER_OUTPUT)
            return
        if "trigger:stream_error" in prompt:
            event(SERVER_ERROR_EVENT)
            return
        if "trigger:stream_incomplete" in prompt:
            return
        if "trigger:stream_reset" in prompt:
            self.server.fake.stopping.wait(0.3)  # let the client read the previews first
            # SO_LINGER 0: closing sends a reset, not a clean end, so the client sees "connection reset".
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.connection.close()
            return
        if "trigger:stream_cut" in prompt:
            payload = {"type": f"{prefix}.completed", "b64_json": base64.b64encode(images[0]).decode(), **common}
            text = f"event: {prefix}.completed\ndata: {json.dumps(payload)}\n\n".encode()
            self.wfile.write(text[:len(text) // 2])
            self.wfile.flush()
            return
        share = {**usage, "output_tokens": usage["output_tokens"] // len(images)}
        share["total_tokens"] = share["input_tokens"] + share["output_tokens"]
        share["output_tokens_details"] = {"image_tokens": share["output_tokens"], "text_tokens": 0}
        for image in images:
            event({"type": f"{prefix}.completed", "created_at": int(time.time()),
                   "b64_json": base64.b64encode(image).decode(), "usage": share, **common})

    # --- responses ----------------------------------------------------------------------------------

    def _common_headers(self) -> None:
        fake = self.server.fake
        with fake.lock:
            fake.counter += 1
            number = fake.counter
        self.send_header("x-request-id", f"req_fake_{number:06d}")
        self.send_header("apim-request-id", f"apim-fake-{number:06d}")

    def _send(self, status: int, body: dict[str, Any] | None, headers: dict[str, str] | None = None) -> None:
        data = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self._common_headers()
        self.end_headers()
        self.wfile.write(data)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    fake: "FakeOpenAI"

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that hung up (a timeout test) is expected; anything else is printed as usual."""
        import sys

        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


class FakeOpenAI:
    """The server: ``url`` is its base (``http://127.0.0.1:PORT``); ``requests`` logs what it received.

    ``slow_s`` is how long ``trigger:timeout`` waits before answering.
    """

    def __init__(self, slow_s: float = 3.0) -> None:
        self.slow_s = slow_s
        self.requests: list[RecordedRequest] = []
        self.attempts: dict[str, int] = {}
        self.counter = 0
        self.bytes_sent = 0  # by trigger:huge
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.fake = self
        # A short poll interval: shutdown() waits for one, and every test stops a server.
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="fake-openai", daemon=True)

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    @property
    def refused_url(self) -> str:
        """A URL on a port nobody listens on (bound, then closed): connecting is refused."""
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        return f"http://127.0.0.1:{port}"

    def start(self) -> "FakeOpenAI":
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> "FakeOpenAI":
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

