"""Every way an image request can fail, turned into a sentence: what happened, and what to do.

The SDK raises one exception class per HTTP status (``shared/reference/openai-images-api.md`` 3.1) and
keeps the service's inner ``error`` object on ``exc.body``; the details a learner needs (which content
filter category, which parameter, how long to wait) live there or in the response headers, never in
``str(exc)``. Raw bodies go to the page too, for the curious, so they pass through :class:`Scrubber`
first: a key must never reach a message, a log line or the screen.

The ``openai`` SDK is imported only inside :func:`from_exception`, so the local model's path (which
uses :func:`content_filter_error`) never loads it.
"""

import email.utils
import math
import re
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from genlab.backends.delivery import plain
from genlab.backends.limits import SERVICE_NAMES
from genlab.backends.types import BackendError

if TYPE_CHECKING:
    import openai

#: Every ``BackendError.kind``, with what it means (for the page and the lesson on failures).
KINDS: dict[str, str] = {
    "content_filter": "a safety system blocked the prompt or the generated image",
    "auth": "the key or token was not accepted, or no token could be had",
    "forbidden": "the account or resource is blocked, or lacks permission",
    "not_found": "no such deployment or model",
    "invalid_value": "the service refused one parameter's value",
    "bad_request": "the service refused the request for another reason",
    "rate_limit": "the service is limiting how fast this key may call it",
    "quota": "the account has no credit or quota left (billing), which waiting does not fix",
    "timeout": "no answer within the time allowed",
    "connection": "the service could not be reached at all",
    "server": "the service failed internally",
    "stream": "a stream of partial images stopped with an error",
    "stream_cut": "a stream of partial images ended in the middle of a message",
    "stream_incomplete": "a stream ended without its finished image",
    "stream_dropped": "the connection dropped while the answer was arriving",
    "html_answer": "a web page (a proxy or Wi-Fi sign-in page) answered instead of the service",
    "empty_answer": "an 'OK' answer with nothing in it",
    "wrong_content_type": "an answer that is not JSON",
    "unreadable_answer": "an answer that could not be read as JSON",
    "no_images": "an 'OK' answer without any images in it",
    "bad_image": "image data that does not decode as an image",
    "too_big": "an answer far larger than the images asked for",
    "deadline": "no complete answer within the time allowed for one click",
    "cancelled": "the learner stopped waiting",
    "unexpected": "any other answer from the service",
    "validation": "the request broke a documented limit, so it was not sent",
    "unavailable": "the backend cannot run here",
    "local_model": "the local model failed while drawing",
    "learner_rate_limit": "this learner made too many paid requests in the last minute",
    "local_busy": "the local model is still drawing this learner's previous image",
    "budget": "this request would go over the learner's daily budget for paid images",
}

BLOCKED_CODES = frozenset({"content_policy_violation", "contentFilter", "content_filter",
                           "moderation_blocked", "ResponsibleAIPolicyViolation"})
SECRET_HEADER_KEYS = frozenset({"api-key", "api_key", "apikey", "x-api-key", "authorization",
                                "ocp-apim-subscription-key"})
REDACTED = "[redacted]"

_SECRET_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?i)((?:api[-_]?key|authorization)[\"']?\s*[:=]\s*[\"']?)(?:bearer\s+)?[^\s\"',}]+"),
     rf"\1{REDACTED}"),
    (re.compile(r"(?i)(bearer\s+)[\w.~+/=-]+"), rf"\1{REDACTED}"),
    (re.compile(r"(?i)(api key provided:\s*)\S+?(?=\.?(?:\s|$))"), rf"\1{REDACTED}"),
    (re.compile(r"\bsk-[\w*-]{6,}"), REDACTED),
)


class Scrubber:
    """Removes secrets from strings and nested bodies. Its ``repr`` never shows what it removes."""

    def __init__(self, secrets: Iterable[str | None] = ()) -> None:
        # Longest first, so a secret containing another is removed whole; very short values are
        # skipped because replacing them would mangle ordinary words.
        self._secrets = sorted({s for s in secrets if s and len(s) >= 6}, key=len, reverse=True)

    def __repr__(self) -> str:
        return f"Scrubber({len(self._secrets)} secrets)"

    def text(self, value: str) -> str:
        for secret in self._secrets:
            value = value.replace(secret, REDACTED)
        for pattern, replacement in _SECRET_PATTERNS:
            value = pattern.sub(replacement, value)
        return value

    def __call__(self, value: Any) -> Any:
        """A copy of ``value`` (str, dict, list, anything else kept) with every secret replaced."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, Mapping):
            return {k: REDACTED if str(k).lower() in SECRET_HEADER_KEYS else self(v)
                    for k, v in value.items()}
        if isinstance(value, list | tuple):
            return [self(v) for v in value]
        return value


@dataclass
class ErrorContext:
    """What the sentences need to name: the service, the deployment or model, the timeout in force."""

    backend: str
    model: str
    timeout_s: float
    api_version: str | None = None
    entra_id: bool = False
    scrub: Scrubber = field(default_factory=Scrubber)

    @property
    def service(self) -> str:
        return SERVICE_NAMES[self.backend]


def _categories(results: Mapping[str, Any]) -> dict[str, str | None]:
    """The filtered categories of an Azure ``content_filter_results`` object, with their severity."""
    found: dict[str, str | None] = {}
    for name, verdict in results.items():
        if isinstance(verdict, Mapping) and verdict.get("filtered"):
            found[name] = verdict.get("severity") or ("detected" if verdict.get("detected") else None)
    return found


def _rating(categories: Mapping[str, str | None]) -> str:
    if not categories:
        return ""
    parts = [name.replace("_", "-") + (f" ({sev})" if sev else "") for name, sev in categories.items()]
    return " as " + (parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1])


def content_filter_error(service: str, stage: str, categories: Mapping[str, str | None], *,
                         details: dict[str, Any] | None = None, raw: Any = None,
                         status: int | None = None) -> BackendError:
    """The one sentence for every safety block (Azure filter, OpenAI moderation, the local word list)."""
    rated = _rating(categories)
    if stage == "output":
        message = (f"{service}'s content filter blocked the generated image{rated}. Your prompt was "
                   "accepted but the picture was not; try again or change the prompt.")
    else:
        message = (f"{service}'s content filter blocked your prompt{rated}. No image was made; rephrase "
                   "the prompt and try again.")
    facts = {"stage": stage, "categories": dict(categories), **(details or {})}
    return BackendError(kind="content_filter", message=message, details=facts, raw=raw, status=status)


def _content_filter(body: Mapping[str, Any], ctx: ErrorContext, raw: Any, status: int | None) -> BackendError:
    """Read a safety block in any of its spellings: Azure images ``inner_error.content_filter_results``,
    Azure chat ``innererror.content_filter_result``, and OpenAI's ``moderation_details``."""
    inner = body.get("inner_error") or body.get("innererror") or {}
    results = (inner.get("content_filter_results") or inner.get("content_filter_result")
               or body.get("content_filter_results") or {})
    moderation = body.get("moderation_details") or {}
    categories: dict[str, str | None] = _categories(results)
    categories.update({c: None for c in moderation.get("categories", []) if c not in categories})
    message = str(body.get("message") or "")
    output = moderation.get("moderation_stage") == "output" or "generated image" in message.lower()
    details: dict[str, Any] = {"code": body.get("code")}
    if results:
        details["content_filter_results"] = dict(results)
    return content_filter_error(ctx.service, "output" if output else "prompt", categories, details=details,
                                raw=raw, status=status)


def is_blocked(body: Any) -> bool:
    if not isinstance(body, Mapping):
        return False
    inner = body.get("inner_error") or body.get("innererror") or {}
    return body.get("code") in BLOCKED_CODES or (isinstance(inner, Mapping)
                                                 and inner.get("code") in BLOCKED_CODES)


def retry_after(headers: Mapping[str, str], message: str = "") -> float | None:
    """Seconds to wait: ``retry-after-ms``, then ``Retry-After`` (seconds or a date), then the message."""
    if ms := headers.get("retry-after-ms"):
        try:
            return float(ms) / 1000
        except ValueError:
            pass
    if value := headers.get("retry-after"):
        try:
            return float(value)
        except ValueError:
            try:
                return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - time.time())
            except (TypeError, ValueError):
                pass
    match = re.search(r"(?:retry after|try again in)\s+(\d+(?:\.\d+)?)\s*s", message, re.IGNORECASE)
    return float(match.group(1)) if match else None


def seconds(value: float) -> str:
    """"1 second", "20 seconds", "0.5 seconds"."""
    return f"{value:g} second{'' if value == 1 else 's'}"


def _server_message(body: Any, ctx: ErrorContext) -> str:
    """The service's own message, scrubbed, with control characters neutralised and its length capped,
    ending with a full stop so a sentence can follow."""
    text = str(body.get("message") or "") if isinstance(body, Mapping) else ""
    text = plain(ctx.scrub.text(text))
    if not text:
        return ""
    return text if text.endswith((".", "!", "?", "…")) else text + "."


def is_quota(body: Mapping[str, Any]) -> bool:
    """A billing problem (no credit, spending limit, quota used up), not a speed limit."""
    message = str(body.get("message") or "").lower()
    return ("insufficient_quota" in (str(body.get("code")), str(body.get("type")))
            or "exceeded your current quota" in message or "out of call volume quota" in message)


def empty_gateway(status: int, body: Any) -> bool:
    """A 502 or 503 with no body: a gateway that failed before the service saw the request, so one retry
    cannot make a second image."""
    return status in (502, 503) and (body is None or (isinstance(body, str) and not body.strip()))


def _status_error(exc: "openai.APIStatusError", ctx: ErrorContext) -> BackendError:
    status = exc.status_code
    body = exc.body if isinstance(exc.body, Mapping) else {}
    raw = ctx.scrub(exc.body if not isinstance(exc.body, str) else plain(exc.body, 4000))
    service = ctx.service
    said = _server_message(body, ctx)
    code = str(body.get("code") or "")

    def error(kind: str, message: str, **extra: Any) -> BackendError:
        return BackendError(kind=kind, message=message, raw=raw, status=status, **extra)

    if is_blocked(body):
        return _content_filter(body, ctx, raw, status)
    if status == 401:
        if ctx.backend == "azure" and ctx.entra_id:
            return error("auth", "Azure OpenAI did not accept your Microsoft Entra ID token (401). Check "
                                 "that you are signed in to the right tenant ('az login') and that "
                                 "AZURE_OPENAI_ENDPOINT is the resource you have access to.")
        if ctx.backend == "azure":
            return error("auth", "Azure OpenAI did not accept the key (401). Check that AZURE_OPENAI_API_KEY "
                                 "is a key of the resource named in AZURE_OPENAI_ENDPOINT (Azure portal, "
                                 "your resource, Keys and Endpoint).")
        return error("auth", "OpenAI did not accept the key (401). Check OPENAI_API_KEY: copy a current key "
                             "from platform.openai.com, API keys.")
    if is_quota(body):
        if ctx.backend == "azure":
            return error("quota", f"Azure OpenAI says this resource's quota is used up ({status}): this is "
                                  "about the subscription's quota or billing, not speed, so waiting a minute "
                                  "will not help. Nothing was billed for this request. Whoever owns the "
                                  "resource can check its quota in the Azure AI Foundry portal.")
        return error("quota", f"OpenAI says this account has no credit left or has reached its spending limit "
                              f"({status}, insufficient_quota): this is billing, not speed, so waiting will not "
                              "help. Nothing was billed for this request. Whoever owns the account can add "
                              "credit or raise the limit on platform.openai.com, Settings, Billing.")
    if status == 403:
        if "blocked" in said.lower():
            return error("forbidden", f"{service} has blocked this account or resource (403), not because of "
                                      "this prompt. Retrying will not help; ask whoever owns the account to "
                                      "check it in the portal.")
        quoted = f" It said: {said}" if said else ""
        if ctx.backend == "azure":
            signed_in = "your Microsoft Entra ID identity" if ctx.entra_id else "this key"
            return error("forbidden", f"Azure OpenAI refused the request (403): {signed_in} is not allowed to "
                                      f"use deployment '{ctx.model}' (a permission problem, not a wrong key)."
                                      f"{quoted} Ask the owner of the resource for the 'Cognitive Services "
                                      "OpenAI User' role (Azure portal, the resource, Access control (IAM)).")
        return error("forbidden", f"OpenAI refused the request (403): this key's organization or project is not "
                                  f"allowed to use '{ctx.model}' (a permission problem, not a wrong key)."
                                  f"{quoted} Check the organization's verification and the project's model "
                                  "access on platform.openai.com.")
    if status == 404:
        if ctx.backend == "openai":
            return error("not_found", f"OpenAI has no image model called '{ctx.model}' that this key can use "
                                      "(404). Check OPENAI_IMAGE_MODEL, for example gpt-image-1.5.")
        if code == "DeploymentNotFound":
            return error("not_found", f"Azure OpenAI has no deployment named '{ctx.model}' (404). Check "
                                      "AZURE_OPENAI_DEPLOYMENT: it must be the deployment name you chose in "
                                      "the Microsoft Foundry portal, which can differ from the model name "
                                      "(such as gpt-image-1.5).")
        version = f" and the api-version ({ctx.api_version})" if ctx.api_version else ""
        return error("not_found", f"Azure OpenAI answered 'resource not found' (404) for deployment "
                                  f"'{ctx.model}'. Check the deployment name (not the model name), "
                                  f"AZURE_OPENAI_ENDPOINT{version}.")
    if status == 429:
        wait = retry_after(exc.response.headers, said)
        when = f"Wait {seconds(math.ceil(wait))}" if wait is not None else "Wait a minute"
        return error("rate_limit", f"{service} is limiting how fast this key can make images (429). "
                                   f"{when} and try again.", retry_after_s=wait)
    if empty_gateway(status, exc.body):
        return error("server", f"A gateway in front of {service} failed ({status}) without saying why, so "
                               "the request did not reach the service and was not billed. Try again in a "
                               "moment.")
    if status >= 500:
        return error("server", f"{service} had an internal error ({status}). It was not caused by your "
                               "request; try again in a moment.")
    if status == 400 and exc.param:
        return error("invalid_value", f"{service} refused the value of {exc.param} (400): {said} Change it "
                                      "and try again.", details={"param": exc.param, "code": code or None})
    if status == 400:
        return error("bad_request", f"{service} refused the request (400): {said} Check the settings and try "
                                    "again.", details={"code": code or None})
    return error("unexpected", f"{service} answered with an unexpected error ({status}): {said} Try again; "
                               "if it keeps happening, show this message to whoever runs the app.")


def from_exception(exc: Exception, ctx: ErrorContext) -> BackendError:
    """The :class:`BackendError` for anything the SDK (or Entra ID sign-in) raised during a call."""
    import openai

    service = ctx.service
    if isinstance(exc, openai.APITimeoutError):
        return BackendError(kind="timeout", message=(
            f"{service} did not answer within {seconds(ctx.timeout_s)}. High-quality images can take "
            "minutes: try again, choose a lower quality, or allow a longer timeout."))
    if isinstance(exc, openai.APIConnectionError):
        host = urlsplit(str(exc.request.url)).netloc
        setting = "AZURE_OPENAI_ENDPOINT" if ctx.backend == "azure" else "OPENAI_BASE_URL"
        return BackendError(kind="connection", details={"host": host}, message=(
            f"Could not connect to {service} at {host}. Check the endpoint ({setting}) and your network "
            "connection, then try again."))
    if isinstance(exc, openai.APIStatusError):
        return _status_error(exc, ctx)
    if isinstance(exc, openai.APIError):  # an error event in the middle of a stream: no HTTP status
        if is_blocked(exc.body):
            return _content_filter(exc.body, ctx, ctx.scrub(exc.body), None)  # type: ignore[arg-type]
        said = _server_message(exc.body, ctx) or ctx.scrub.text(exc.message)
        return stream_error(exc.body, ctx, said)
    if type(exc).__name__ != "ClientAuthenticationError":
        return BackendError(kind="unexpected", details={"exception": type(exc).__name__}, message=(
            f"Talking to {service} failed in an unexpected way ({type(exc).__name__}). Try again; if it keeps "
            "happening, show this message to whoever runs the app."))
    # azure.identity could not get a token (not signed in, no managed identity): nothing was sent.
    return BackendError(kind="auth", message=(
        "Could not get a Microsoft Entra ID token for Azure OpenAI. Sign in with 'az login' (or give "
        "this app a managed identity), or set AZURE_OPENAI_API_KEY instead."))


def stream_error(body: Any, ctx: ErrorContext, said: str | None = None) -> BackendError:
    """An ``error`` event in the middle of a stream: a safety block, or the service's own failure."""
    if is_blocked(body):
        return _content_filter(body, ctx, ctx.scrub(body), None)
    said = said if said is not None else _server_message(body, ctx)
    said = said or "it gave no reason."
    return BackendError(kind="stream", raw=ctx.scrub(body), details={"maybe_billed": True}, message=(
        f"{ctx.service} stopped the image stream with an error: {said} The finished image did not arrive; "
        "it may have been billed, because the request reached the service. Try again, or turn off partial "
        "previews."))


def kept_previews(count: int) -> str:
    """The clause that says partial previews were kept (empty when none arrived)."""
    if not count:
        return ""
    return (f" The {count} rough preview{'s' if count != 1 else ''} that arrived "
            f"{'are' if count != 1 else 'is'} shown, labelled as partial.")


def stopped_error(service: str, reason: str, *, elapsed_s: float, deadline_s: float, previews: int = 0,
                  reached: bool = True, paid: bool = True, connecting: bool = False) -> BackendError:
    """The sentence for a click that ran out of its time (``reason`` "deadline") or was cancelled."""
    kept = kept_previews(previews)
    if reason == "cancelled":
        billed = (" The request had already reached the service, so it may still make the image and bill it."
                  if reached and paid else "")
        return BackendError(kind="cancelled", details={"maybe_billed": bool(billed)}, message=(
            f"You stopped waiting after {elapsed_s:.1f} s.{billed}{kept} Press the button again when you are "
            "ready."))
    limit = seconds(round(deadline_s, 1))
    if connecting:
        return BackendError(kind="deadline", details={"maybe_billed": False}, message=(
            f"Could not connect to {service} within the {limit} allowed for one click, so nothing was sent or "
            "billed. Check the endpoint setting and your network connection, then try again."))
    if not paid:
        return BackendError(kind="deadline", details={"maybe_billed": False}, message=(
            f"{service[:1].upper()}{service[1:]} did not finish within {limit}, the time allowed for one click. "
            f"Try fewer steps or fewer images.{kept}"))
    how = "started answering but had not finished" if previews or reached else "did not answer"
    return BackendError(kind="deadline", details={"maybe_billed": True}, message=(
        f"{service} {how} after {limit}, the time allowed for one click, so the app stopped waiting. It may "
        f"still make the image and bill it.{kept} High-quality images can take minutes: choose a lower "
        "quality, or ask whoever runs the app to allow longer (GENLAB_REQUEST_TIMEOUT_S)."))
