"""Azure OpenAI and OpenAI, through the official ``openai`` SDK (3.x).

Azure has two routes, both shown to learners because both appear in Microsoft's docs:

- *classic*: ``AzureOpenAI`` sends ``/openai/deployments/{deployment}/images/...?api-version=...``;
- *v1*: the plain ``OpenAI`` client with ``base_url={endpoint}/openai/v1/`` and no api-version.

On either, the SDK's ``model=`` carries the Azure *deployment* name. Authentication is an API key or a
Microsoft Entra ID token provider (``azure-identity``), which the SDK calls before every request.

A client is built once per backend and reused (it holds a connection pool). Retries are kept to one:
the SDK's default (two retries of up to 600 s each) would leave a learner staring at a spinner for
half an hour, and every failure here already ends in a sentence that says what to do.
"""

import base64
from collections.abc import Callable
from time import perf_counter
from typing import Any

import openai
from azure.core.exceptions import ClientAuthenticationError
from openai.types import ImagesResponse
from pydantic import SecretStr

from genlab.backends.errors import ErrorContext, Scrubber, from_exception
from genlab.backends.limits import SERVICE_NAMES, validate
from genlab.backends.prices import actual, estimate
from genlab.backends.types import (
    EXTENSIONS,
    Availability,
    BackendError,
    ImageRequest,
    ImageResult,
    PartialCallback,
)
from genlab.provenance.formats import sniff_mime
from genlab.settings import Settings

#: Seconds to wait for an answer. High quality can take minutes (research notes 6.1), so not less.
DEFAULT_TIMEOUT_S = 300.0
DEFAULT_MAX_RETRIES = 1
ENTRA_SCOPE = "https://cognitiveservices.azure.com/.default"
AZURE_ROUTES = ("classic", "v1")

_REQUEST_PARAMS = ("size", "quality", "output_format", "background")


def _secret(value: SecretStr | str | None) -> str | None:
    return value.get_secret_value() if isinstance(value, SecretStr) else value


def _request_id(headers: Any) -> str | None:
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


class RemoteBackend:
    """What Azure and OpenAI share: parameters, the call, streaming, and turning errors into sentences."""

    name: str
    model: str

    def __init__(self, client: openai.OpenAI, model: str, ctx: ErrorContext) -> None:
        self.client = client
        self.model = model
        self._ctx = ctx

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

    def generate(self, request: ImageRequest, on_partial: PartialCallback | None = None) -> ImageResult:
        """Make new images from a prompt. Never raises for a service failure: see ``result.error``."""
        return self._run(request, "generate", on_partial)

    def edit(self, request: ImageRequest, on_partial: PartialCallback | None = None) -> ImageResult:
        """Change ``request.images`` as the prompt says, only inside the mask's transparent area if given."""
        return self._run(request, "edit", on_partial)

    def _run(self, request: ImageRequest, operation: str, on_partial: PartialCallback | None) -> ImageResult:
        started = perf_counter()
        result = ImageResult(backend=self.name, model=self.model,
                             cost=estimate(request, self.model, self.name))
        refusals = validate(request, self.name, self.model, operation)
        if refusals:
            result.error = BackendError(kind="validation", message=" ".join(refusals),
                                        details={"refusals": refusals})
        else:
            images = self.client.images.with_raw_response
            call = images.generate if operation == "generate" else images.edit
            sent = perf_counter()
            try:
                raw = call(**self.call_arguments(request, operation))
                result.request_id = _request_id(raw.headers)
                if request.partial_images:
                    self._read_stream(raw.parse(), result, on_partial, sent)
                else:
                    self._read_response(raw.parse(), result)
                # The wait for the service (and, when streaming, the page's on_partial), minus base64 work.
                result.timings["network"] = perf_counter() - sent - result.timings.get("decode", 0.0)
            except (openai.APIError, ClientAuthenticationError) as exc:
                result.error = from_exception(exc, self._ctx)
                response = getattr(exc, "response", None)
                if response is not None:
                    result.request_id = result.request_id or _request_id(response.headers)
        if result.usage and result.error is None:
            result.cost = actual(result.usage, self.model) or result.cost
        elif result.error is not None:
            result.cost = None  # nothing was made; whether a refusal is billed is the service's call
        result.timings["total"] = perf_counter() - started
        return result

    def _decode(self, b64: str, result: ImageResult) -> bytes:
        """Base64 to the original bytes: decoded, never re-encoded, so Content Credentials survive."""
        t = perf_counter()
        data = base64.b64decode(b64)
        result.timings["decode"] = result.timings.get("decode", 0.0) + perf_counter() - t
        return data

    def _read_response(self, response: ImagesResponse, result: ImageResult) -> None:
        for image in response.data or []:
            if image.b64_json:
                result.images.append(self._decode(image.b64_json, result))
            result.revised_prompt = result.revised_prompt or image.revised_prompt
        if response.usage is not None:
            result.usage = response.usage.to_dict()
        if result.images:
            result.mime = _mime(result.images[0])

    def _read_stream(self, stream: Any, result: ImageResult, on_partial: PartialCallback | None,
                     started: float) -> None:
        """Partial images go to ``on_partial`` as they arrive; completed ones become the result."""
        for event in stream:
            if event.type.endswith(".partial_image"):
                result.timings.setdefault("first_partial", perf_counter() - started)
                if on_partial is not None:
                    on_partial(event.partial_image_index, self._decode(event.b64_json, result))
            elif event.type.endswith(".completed"):
                result.images.append(self._decode(event.b64_json, result))
                if event.usage is not None:
                    result.usage = _add_usage(result.usage, event.usage.to_dict())
        if result.images:
            result.mime = _mime(result.images[0])


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
                                        timeout=timeout_s, max_retries=max_retries, **auth)
        else:
            client = openai.OpenAI(base_url=f"{self.endpoint}/openai/v1/", api_key=key or token_provider,
                                   timeout=timeout_s, max_retries=max_retries)
        ctx = ErrorContext(backend="azure", model=deployment, timeout_s=timeout_s,
                           api_version=self.api_version, entra_id=token_provider is not None,
                           scrub=Scrubber([key]))
        super().__init__(client, deployment, ctx)

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
        client = openai.OpenAI(api_key=key, base_url=base_url, timeout=timeout_s, max_retries=max_retries)
        ctx = ErrorContext(backend="openai", model=model, timeout_s=timeout_s, scrub=Scrubber([key]))
        super().__init__(client, model, ctx)

    @classmethod
    def from_settings(cls, settings: Settings, *, timeout_s: float = DEFAULT_TIMEOUT_S,
                      max_retries: int = DEFAULT_MAX_RETRIES) -> "OpenAIBackend":
        if settings.openai_api_key is None:
            raise ValueError("Set OPENAI_API_KEY to use OpenAI.")
        return cls(settings.openai_api_key, settings.openai_model, base_url=settings.openai_base_url,
                   timeout_s=timeout_s, max_retries=max_retries)
