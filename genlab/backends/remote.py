"""Azure OpenAI and OpenAI, through the official ``openai`` SDK (3.x).

Azure has two routes, both shown to learners because both appear in Microsoft's docs:

- *classic*: ``AzureOpenAI`` sends ``/openai/deployments/{deployment}/images/...?api-version=...``;
- *v1*: the plain ``OpenAI`` client with ``base_url={endpoint}/openai/v1/`` and no api-version.

On either, the SDK's ``model=`` carries the Azure *deployment* name. Authentication is an API key or a
Microsoft Entra ID token provider (``azure-identity``), which the SDK calls before every request.

A client is built once per backend and reused (it holds a connection pool). The SDK's own retries are
off: its default (two retries of up to 600 s each, with silent sleeps) would leave a learner staring
at a spinner for half an hour and could pay for a second image. This module retries at most once, and
only failures that cannot have made an image, inside the click's one deadline.
"""

import json
import logging
from collections.abc import Callable, Iterator
from time import perf_counter
from typing import Any
from urllib.parse import urlsplit

import httpx2
import openai
from azure.core.exceptions import ClientAuthenticationError
from pydantic import SecretStr

from genlab.backends.control import DEFAULT_DEADLINE_S, CallControl, CallStopped
from genlab.backends.delivery import Reader, StreamCut, body_limit, raw_text, sse_events
from genlab.backends.errors import (
    ErrorContext,
    Scrubber,
    empty_gateway,
    from_exception,
    kept_previews,
    seconds,
    stopped_error,
    stream_error,
)
from genlab.backends.limits import SERVICE_NAMES, validate
from genlab.backends.prices import actual, estimate
from genlab.backends.types import (
    ENTRA_SCOPE,
    EXTENSIONS,
    Availability,
    BackendError,
    ImageRequest,
    ImageResult,
    PartialCallback,
)
from genlab.provenance.formats import sniff_mime
from genlab.settings import Settings

log = logging.getLogger(__name__)

#: Seconds one click may take, end to end (``Settings.request_deadline_s``).
DEFAULT_TIMEOUT_S = DEFAULT_DEADLINE_S
#: Automatic retries, only of failures that cannot have made an image (connection refused, an empty
#: 502/503 from a gateway, a 429 asking for a wait of at most :data:`SHORT_WAIT_S`).
DEFAULT_MAX_RETRIES = 1
#: A Retry-After up to this long is waited (visibly); a longer one is handed to the learner at once.
SHORT_WAIT_S = 3.0
AZURE_ROUTES = ("classic", "v1")

_REQUEST_PARAMS = ("size", "quality", "output_format", "background")


def _secret(value: SecretStr | str | None) -> str | None:
    return value.get_secret_value() if isinstance(value, SecretStr) else value


def request_id(headers: Any) -> str | None:
    """Azure sends ``apim-request-id`` as well as (or instead of) ``x-request-id``; support quotes either."""
    return headers.get("x-request-id") or headers.get("apim-request-id")



def _add_usage(total: dict[str, Any] | None, more: dict[str, Any]) -> dict[str, Any]:
    """Sum two ``usage`` dicts field by field (a stream with several images reports one per image)."""
    if total is None:
        return dict(more)
    summed = dict(total)
    for key, value in more.items():
        if isinstance(value, dict):
            summed[key] = _add_usage(summed.get(key) or {}, value)
        elif isinstance(value, int | float):
            summed[key] = summed.get(key, 0) + value
    return summed


def _mime(data: bytes) -> str:
    """What the bytes are (from their signature), whatever was asked for."""
    return sniff_mime(data) or "application/octet-stream"


def _upload(data: bytes, name: str) -> tuple[str, bytes, str]:
    mime = _mime(data)
    return f"{name}.{EXTENSIONS.get(mime, 'png')}", data, mime


class _TooBig(Exception):
    """The body passed its limit; ``head`` is how it began, for the "Raw answer" panel."""

    def __init__(self, head: bytes, total: int) -> None:
        super().__init__("too big")
        self.head, self.total = head, total


class _Retry(Exception):
    """A failure that cannot have made an image, so one more try is safe: wait ``wait_s`` first."""

    def __init__(self, wait_s: float, why: str) -> None:
        super().__init__(why)
        self.wait_s, self.why = wait_s, why


class RemoteBackend:
    """What Azure and OpenAI share: parameters, the call, streaming, and turning errors into sentences.

    The SDK builds and sends each request (paths, api-version, auth, multipart); its own retries are
    off and its timeout is the click's remaining time. The body is read here, chunk by chunk, so the
    click's wall-clock deadline and its Cancel button apply to every byte, and so nothing is believed
    before :class:`~genlab.backends.delivery.Reader` has checked it.
    """

    name: str
    model: str

    def __init__(self, client: openai.OpenAI, model: str, ctx: ErrorContext, *,
                 timeout_s: float = DEFAULT_TIMEOUT_S, max_retries: int = DEFAULT_MAX_RETRIES) -> None:
        self.client = client
        self.model = model
        self._ctx = ctx
        self.deadline_s = timeout_s
        self.retries = max(0, min(1, max_retries))

    def available(self) -> Availability:
        return Availability(True, f"{SERVICE_NAMES[self.name]} is configured (model '{self.model}').")

    def call_arguments(self, request: ImageRequest, operation: str) -> dict[str, Any]:
        """The SDK keyword arguments for ``request``: only what the learner set is sent."""
        kwargs: dict[str, Any] = {"model": self.model, "prompt": request.prompt, "n": request.n}
        kwargs.update({k: getattr(request, k) for k in _REQUEST_PARAMS if getattr(request, k) is not None})
        if request.partial_images:
            kwargs.update(partial_images=request.partial_images, stream=True)
        if operation == "edit":
            files = [_upload(data, f"image_{i}") for i, data in enumerate(request.images, start=1)]
            # One file goes as the documented ``image`` field; several as repeated ``image[]``.
            kwargs["image"] = files[0] if len(files) == 1 else files
            if request.mask is not None:
                kwargs["mask"] = _upload(request.mask, "mask")
        return kwargs

    def generate(self, request: ImageRequest, on_partial: PartialCallback | None = None,
                 control: CallControl | None = None) -> ImageResult:
        """Make new images from a prompt. Never raises for a service failure: see ``result.error``."""
        return self._run(request, "generate", on_partial, control)

    def edit(self, request: ImageRequest, on_partial: PartialCallback | None = None,
             control: CallControl | None = None) -> ImageResult:
        """Change ``request.images`` as the prompt says, only inside the mask's transparent area if given."""
        return self._run(request, "edit", on_partial, control)

    def _run(self, request: ImageRequest, operation: str, on_partial: PartialCallback | None,
             control: CallControl | None) -> ImageResult:
        started = perf_counter()
        control = control or CallControl(self.deadline_s)
        result = ImageResult(backend=self.name, model=self.model,
                             cost=estimate(request, self.model, self.name))
        refusals = validate(request, self.name, self.model, operation)
        if refusals:
            result.error = BackendError(kind="validation", message=" ".join(refusals),
                                        details={"refusals": refusals})
        else:
            sent = perf_counter()
            self._call(request, operation, on_partial, control, result)
            # The wait for the service (and, when streaming, the page's on_partial), minus base64 work.
            result.timings["network"] = perf_counter() - sent - result.timings.get("decode", 0.0)
        self._settle_cost(request, result)
        result.timings["total"] = perf_counter() - started
        return result

    def _settle_cost(self, request: ImageRequest, result: ImageResult) -> None:
        """Usage, when reported, is what it cost (success or not); images without usage cost the estimate;
        a failure without usage costs nothing here, and its sentence says whether it may have been billed."""
        if result.usage:
            result.billed = "yes"
            result.cost = actual(result.usage, self.model) or result.cost
        elif result.ok:
            result.billed = "yes"
        else:
            result.cost = None
            if result.error is not None and result.error.details.get("maybe_billed"):
                result.billed = "maybe"

    def _call(self, request: ImageRequest, operation: str, on_partial: PartialCallback | None,
              control: CallControl, result: ImageResult) -> None:
        kwargs = self.call_arguments(request, operation)
        api = self.client.images.with_streaming_response
        method = api.generate if operation == "generate" else api.edit
        while True:
            result.requests += 1
            try:
                self._attempt(method, kwargs, request, on_partial, control, result)
                return
            except _Retry as retry:
                if result.requests > self.retries or control.remaining() < retry.wait_s + 1:
                    return  # result.error already says what happened
                try:
                    if retry.wait_s > 0:
                        control.sleep(retry.wait_s, retry.why)
                    else:
                        control.check()
                except CallStopped as stop:
                    result.error = self._stopped(stop, control, result, reached=False)
                    return
                result.error = None
                result.notes.append(f"The first try failed ({retry.why}); the app tried once more.")

    def _attempt(self, method: Callable[..., Any], kwargs: dict[str, Any], request: ImageRequest,
                 on_partial: PartialCallback | None, control: CallControl, result: ImageResult) -> None:
        """One HTTP request. Sets ``result.error`` on failure; raises :class:`_Retry` when another try is safe."""
        reader = Reader(self._ctx.service, self._ctx.scrub, request.output_format)
        events: list[str] = []  # a stream's events, summed up for the "Raw answer" panel
        try:
            self._exchange(method, kwargs, request, on_partial, control, result, reader, events)
        finally:
            result.timings["decode"] = result.timings.get("decode", 0.0) + reader.decode_s
            if result.error is not None and result.error.raw is None and events:
                result.error.raw = {"stream events received": events}

    def _exchange(self, method: Callable[..., Any], kwargs: dict[str, Any], request: ImageRequest,
                       on_partial: PartialCallback | None, control: CallControl, result: ImageResult,
                       reader: Reader, events: list[str]) -> None:
        reached = False
        try:
            control.check()
            with method(**kwargs, timeout=max(0.05, control.remaining())) as raw:
                reached = True
                result.request_id = request_id(raw.headers)
                content_type = raw.headers.get("content-type", "")
                chunks = self._chunks(raw.iter_bytes(), control, body_limit(request.n, request.partial_images))
                if request.partial_images and "event-stream" in content_type.lower():
                    self._read_stream(chunks, request, on_partial, control, result, reader, events)
                else:
                    reader.json_body(b"".join(chunks), content_type, result)
        except CallStopped as stop:
            result.error = self._stopped(stop, control, result, reached=reached)
        except _TooBig as big:
            limit = body_limit(request.n, request.partial_images) // (1024 * 1024)
            result.error = reader.error("too_big", (
                f"{self._ctx.service} sent more than {limit} MB, far more than {request.n} image"
                f"{'s' if request.n != 1 else ''} can take, so the app stopped reading. Something between "
                "this app and the service may be misbehaving; try again later."),
                raw=f"{raw_text(big.head, reader.scrub)}\n… (the app stopped after {big.total:,} bytes)")
        except openai.APIStatusError as exc:
            result.error = from_exception(exc, self._ctx)
            result.request_id = result.request_id or request_id(exc.response.headers)
            self._maybe_retry(exc, result.error)
        except openai.APITimeoutError as exc:
            connecting = isinstance(exc.__cause__, httpx2.ConnectTimeout)
            result.error = self._stopped(CallStopped("deadline"), control, result, reached=reached,
                                         connecting=connecting)
        except openai.APIConnectionError as exc:
            result.error = self._connection(exc)
            if isinstance(exc.__cause__, httpx2.ConnectError):
                raise _Retry(0.0, "the connection was refused") from None
        except (httpx2.TimeoutException, httpx2.TransportError, StreamCut) as exc:
            result.error = self._dropped(exc, request, result, reader, control)
        except ClientAuthenticationError as exc:
            result.error = from_exception(exc, self._ctx)
        except Exception as exc:  # whatever else happens must end as a sentence
            log.exception("an image call failed unexpectedly")
            result.error = reader.error("unexpected", (
                f"Reading {self._ctx.service}'s answer failed in an unexpected way ({type(exc).__name__}). Try "
                "again; if it keeps happening, show this message to whoever runs the app."))

    def _maybe_retry(self, exc: openai.APIStatusError, error: BackendError) -> None:
        if empty_gateway(exc.status_code, exc.body):
            raise _Retry(0.0, f"an empty {exc.status_code} from a gateway")
        if error.kind == "rate_limit" and error.retry_after_s is not None and error.retry_after_s <= SHORT_WAIT_S:
            wait = max(0.0, error.retry_after_s)
            raise _Retry(wait, f"{self._ctx.service} asked to wait {seconds(round(wait, 1))} (429)")

    @staticmethod
    def _chunks(chunks: Iterator[bytes], control: CallControl, limit: int) -> Iterator[bytes]:
        """The body as it arrives; stops at the deadline, on cancel, or past ``limit`` bytes."""
        total = 0
        head = b""
        for chunk in chunks:
            control.check()
            total += len(chunk)
            head = head or chunk[:300]
            if total > limit:
                raise _TooBig(head, total)
            yield chunk
        control.check()

    def _connection(self, exc: openai.APIConnectionError) -> BackendError:
        host = urlsplit(str(exc.request.url)).netloc
        setting = "AZURE_OPENAI_ENDPOINT" if self.name == "azure" else "OPENAI_BASE_URL"
        return BackendError(kind="connection", details={"host": host}, message=(
            f"Could not connect to {self._ctx.service} at {host}, so nothing was sent or billed. Check the "
            f"endpoint ({setting}) and your network connection, then try again."))

    def _stopped(self, stop: CallStopped, control: CallControl, result: ImageResult, *, reached: bool,
                 connecting: bool = False) -> BackendError:
        """The sentence for a click that ran out of time or was cancelled."""
        return stopped_error(self._ctx.service, stop.reason, elapsed_s=control.elapsed(),
                             deadline_s=control.deadline_s, previews=len(result.partials),
                             reached=reached or bool(result.requests > 1), connecting=connecting)

    def _dropped(self, exc: Exception, request: ImageRequest, result: ImageResult, reader: Reader,
                 control: CallControl) -> BackendError:
        """The connection broke (or the stream ended mid-message) after the answer had started."""
        service = self._ctx.service
        if isinstance(exc, httpx2.TimeoutException):
            return self._stopped(CallStopped("deadline"), control, result, reached=True)
        previews = len(result.partials)
        after = f" after {previews} preview{'s' if previews != 1 else ''}" if previews else ""
        if isinstance(exc, StreamCut):
            return reader.error("stream_cut", (
                f"The stream from {service} stopped in the middle of a message{after}, so the finished image "
                f"never arrived.{_kept(result)} Try again, or turn off partial previews."),
                raw=reader.scrub(exc.rest[:2000].decode("utf-8", errors="replace")))
        what = "while the image was being streamed" if request.partial_images else "while its answer was arriving"
        return reader.error("stream_dropped", (
            f"The connection to {service} dropped {what}{after}, before the finished image arrived.{_kept(result)} "
            "Try again; this was not a wrong endpoint, since the service had started answering."))

    def _read_stream(self, chunks: Iterator[bytes], request: ImageRequest, on_partial: PartialCallback | None,
                     control: CallControl, result: ImageResult, reader: Reader, events: list[str]) -> None:
        """Partial images go to ``on_partial`` (and ``result.partials``) as they arrive; completed ones
        become the result once they decode. An error event, a cut, or a missing completed event each end
        in their own sentence, with the previews that arrived kept."""
        service = self._ctx.service
        problems: list[str] = []
        completed = 0
        for name, data in sse_events(chunks):
            events.append(_summary(name, data))
            if data.strip() == "[DONE]":
                break
            try:
                payload = json.loads(data)
            except ValueError:
                payload = None
            if not isinstance(payload, dict):
                result.error = reader.error("unreadable_answer", (
                    f"{service} sent a stream message that could not be read (not a JSON object), so the "
                    f"stream was abandoned.{_kept(result)} Try again, or turn off partial previews."),
                    raw=reader.scrub(data[:2000]))
                return
            kind = str(payload.get("type") or name or "")
            if kind == "error" or "error" in payload:
                body = payload.get("error") if isinstance(payload.get("error"), dict) else payload
                result.error = stream_error(body, self._ctx)
                if result.partials and result.error.kind == "stream":
                    result.error.message = result.error.message.replace(
                        " Try again,", f"{_kept(result)} Try again,")
                return
            if kind.endswith(".partial_image"):
                picture, _problem = reader.image(payload.get("b64_json"))
                if picture is not None:
                    result.timings.setdefault("first_partial", control.elapsed())
                    result.partials.append(picture)
                    index = payload.get("partial_image_index")
                    _deliver(on_partial, index if isinstance(index, int) else len(result.partials) - 1, picture)
            elif kind.endswith(".completed"):
                completed += 1
                picture, problem = reader.image(payload.get("b64_json"))
                if picture is None:
                    problems.append(problem or "could not be read")
                else:
                    result.images.append(picture)
                usage = payload.get("usage")
                if isinstance(usage, dict):
                    result.usage = _add_usage(result.usage, usage)
        if not completed:
            result.error = reader.error("stream_incomplete", (
                f"{service}'s stream ended without the finished image.{_kept(result)} Try again, or turn off "
                "partial previews."), billed=bool(result.usage))
            return
        reader.finish(result, problems, None, completed)
        if result.error is None and completed < request.n:
            result.notes.append(f"You asked for {request.n} images and {service} finished {completed}.")


def _summary(name: str | None, data: str) -> str:
    """One stream event in a line: its type, and its size instead of its base64."""
    try:
        payload = json.loads(data)
    except ValueError:
        return f"{name or 'message'}: unreadable ({len(data):,} characters)"
    kind = payload.get("type", name) if isinstance(payload, dict) else name
    return f"{kind or 'message'} ({len(data):,} characters)"


def _kept(result: ImageResult) -> str:
    return kept_previews(len(result.partials))


def _deliver(on_partial: PartialCallback | None, index: int, picture: bytes) -> None:
    """Hand a preview to the page; a failure there must not end the stream."""
    if on_partial is None:
        return
    try:
        on_partial(index, picture)
    except Exception:  # a page failure must not end the stream
        log.exception("showing a partial image failed")


class AzureBackend(RemoteBackend):
    """Azure OpenAI: a deployment of a GPT image model, by API key or Microsoft Entra ID."""

    name = "azure"

    def __init__(self, endpoint: str, deployment: str, *, api_key: SecretStr | str | None = None,
                 token_provider: Callable[[], str] | None = None, api_version: str = "2025-04-01-preview",
                 route: str = "classic", timeout_s: float = DEFAULT_TIMEOUT_S,
                 max_retries: int = DEFAULT_MAX_RETRIES) -> None:
        if route not in AZURE_ROUTES:
            raise ValueError(f"There is no Azure route called '{route}'; use classic or v1.")
        key = _secret(api_key)
        if (key is None) == (token_provider is None):
            raise ValueError("Give Azure OpenAI either an API key or an Entra ID token provider, not both "
                             "or neither.")
        self.endpoint = endpoint.rstrip("/")
        self.route = route
        self.api_version = api_version if route == "classic" else None
        client: openai.OpenAI
        if route == "classic":
            auth: dict[str, Any] = {"api_key": key} if key else {"azure_ad_token_provider": token_provider}
            client = openai.AzureOpenAI(azure_endpoint=self.endpoint, api_version=api_version,
                                        timeout=timeout_s, max_retries=0, **auth)
        else:
            client = openai.OpenAI(base_url=f"{self.endpoint}/openai/v1/", api_key=key or token_provider,
                                   timeout=timeout_s, max_retries=0)
        ctx = ErrorContext(backend="azure", model=deployment, timeout_s=timeout_s,
                           api_version=self.api_version, entra_id=token_provider is not None,
                           scrub=Scrubber([key]))
        super().__init__(client, deployment, ctx, timeout_s=timeout_s, max_retries=max_retries)

    @classmethod
    def from_settings(cls, settings: Settings, *, route: str = "classic",
                      timeout_s: float = DEFAULT_TIMEOUT_S,
                      max_retries: int = DEFAULT_MAX_RETRIES) -> "AzureBackend":
        """The backend ``settings`` describe; Entra ID when ``AZURE_OPENAI_USE_ENTRA_ID`` is set."""
        if not (settings.azure_endpoint and settings.azure_deployment):
            raise ValueError("Set AZURE_OPENAI_ENDPOINT and AZURE_OPENAI_DEPLOYMENT to use Azure OpenAI.")
        token_provider = None
        if settings.azure_use_entra_id:
            from azure.identity import DefaultAzureCredential, get_bearer_token_provider

            token_provider = get_bearer_token_provider(DefaultAzureCredential(), ENTRA_SCOPE)
        return cls(settings.azure_endpoint, settings.azure_deployment,
                   api_key=None if token_provider else settings.azure_api_key, token_provider=token_provider,
                   api_version=settings.azure_api_version, route=route, timeout_s=timeout_s,
                   max_retries=max_retries)


class OpenAIBackend(RemoteBackend):
    """OpenAI's own API (or anything that speaks it at ``base_url``)."""

    name = "openai"

    def __init__(self, api_key: SecretStr | str, model: str = "gpt-image-1.5", *, base_url: str | None = None,
                 timeout_s: float = DEFAULT_TIMEOUT_S, max_retries: int = DEFAULT_MAX_RETRIES) -> None:
        key = _secret(api_key)
        client = openai.OpenAI(api_key=key, base_url=base_url, timeout=timeout_s, max_retries=0)
        ctx = ErrorContext(backend="openai", model=model, timeout_s=timeout_s, scrub=Scrubber([key]))
        super().__init__(client, model, ctx, timeout_s=timeout_s, max_retries=max_retries)

    @classmethod
    def from_settings(cls, settings: Settings, *, timeout_s: float = DEFAULT_TIMEOUT_S,
                      max_retries: int = DEFAULT_MAX_RETRIES) -> "OpenAIBackend":
        if settings.openai_api_key is None:
            raise ValueError("Set OPENAI_API_KEY to use OpenAI.")
        return cls(settings.openai_api_key, settings.openai_model, base_url=settings.openai_base_url,
                   timeout_s=timeout_s, max_retries=max_retries)
