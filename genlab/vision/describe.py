"""Describe an image with an Azure OpenAI multimodal chat deployment: vision in the cloud (AI-901 2.3.1).

The local reader (:mod:`genlab.vision.reader`) only knows the illustrated world; a multimodal model such as
GPT-4o reads any picture. The image goes inside a chat completion as a base64 ``data:`` URL, next to a
text instruction, to the deployment named by ``AZURE_OPENAI_VISION_DEPLOYMENT`` on the same resource
(endpoint, key or Entra ID, api-version) as the image backend.

The client is the one :class:`~genlab.backends.remote.AzureBackend` builds (API key or Entra ID token
provider, one retry), and every failure becomes the sentence :func:`genlab.backends.errors.from_exception`
gives, so :func:`describe_image` never raises for a service failure and never puts a secret in a message.
"""

import base64
import dataclasses
from dataclasses import dataclass
from time import perf_counter
from typing import Any

import openai
from azure.core.exceptions import ClientAuthenticationError

from genlab.backends.errors import ErrorContext, Scrubber, from_exception, seconds
from genlab.backends.remote import AzureBackend, request_id
from genlab.backends.types import BackendError
from genlab.provenance.formats import sniff_mime
from genlab.settings import Settings

DEFAULT_PROMPT = ("Describe this image in one sentence, like a caption: name the main subject, its colour, "
                  "anything it wears, where it is in the picture, the scene and the drawing style.")
DEFAULT_TIMEOUT_S = 60.0
#: The image types the chat completions API reads, and its per-image size limit.
ACCEPTED_TYPES = ("image/png", "image/jpeg", "image/gif", "image/webp")
MAX_IMAGE_BYTES = 20 * 2**20
SETTING = "AZURE_OPENAI_VISION_DEPLOYMENT"
HOW_TO_ENABLE = (f"Set {SETTING} to the name of a multimodal chat deployment (such as gpt-4o or gpt-4.1) on "
                 "the same Azure OpenAI resource (AZURE_OPENAI_ENDPOINT, with AZURE_OPENAI_API_KEY or "
                 "AZURE_OPENAI_USE_ENTRA_ID), then restart the app.")


@dataclass
class Description:
    """What came back: the model's sentence, or why there is none (``error``, already a sentence)."""

    text: str | None = None
    error: BackendError | None = None
    request_id: str | None = None
    usage: dict[str, Any] | None = None
    elapsed_s: float = 0.0


def vision_configured(settings: Settings) -> bool:
    """A vision deployment, an endpoint and a way to authenticate (key or Entra ID) are all set."""
    return bool(settings.azure_endpoint and settings.azure_vision_deployment
                and (settings.azure_api_key or settings.azure_use_entra_id))


def _refusal(image: bytes) -> str | None:
    """Why ``image`` cannot be sent at all, or None."""
    if sniff_mime(image) not in ACCEPTED_TYPES:
        return "The image could not be sent: it is not a PNG, JPEG, GIF or WebP file."
    if len(image) > MAX_IMAGE_BYTES:
        return (f"The image is {len(image) / 2**20:.1f} MB; Azure OpenAI reads images up to "
                f"{MAX_IMAGE_BYTES // 2**20} MB. Use a smaller image.")
    return None


def _reworded(error: BackendError, deployment: str, timeout_s: float) -> BackendError:
    """The shared sentence, where its advice is about image generation, told for describing instead."""
    code = error.raw.get("code") if isinstance(error.raw, dict) else None
    if error.kind == "not_found" and code == "DeploymentNotFound":
        message = (f"Azure OpenAI has no deployment named '{deployment}' (404). Check {SETTING}: it must be "
                   "the name you gave a multimodal chat deployment (such as gpt-4o) in the Microsoft Foundry "
                   "portal, which can differ from the model name.")
    elif error.kind == "timeout":
        message = (f"Azure OpenAI did not describe the image within {seconds(timeout_s)}. Try again in a "
                   "moment.")
    elif error.kind == "content_filter":
        message = error.message.replace("No image was made; rephrase the prompt and try again.",
                                        "No description was made; try another image or instruction.")
    elif error.kind == "rate_limit":
        message = error.message.replace("can make images", "can call this deployment")
    else:
        return error
    return dataclasses.replace(error, message=message)


def _read(completion: Any, scrub: Scrubber, deployment: str) -> tuple[str | None, BackendError | None]:
    """The text of the first choice, or the sentence for an answer without one."""
    choice = completion.choices[0] if completion.choices else None
    text = (choice.message.content or "").strip() if choice is not None else ""
    if choice is not None and choice.finish_reason == "content_filter":
        results = (choice.model_extra or {}).get("content_filter_results") or {}
        categories = {name: verdict.get("severity") for name, verdict in results.items()
                      if isinstance(verdict, dict) and verdict.get("filtered")}
        return None, BackendError(kind="content_filter", details={"stage": "output", "categories": categories},
                                  message="Azure OpenAI's content filter withheld the description of this "
                                          "image. Try another image.")
    if text:
        return text, None
    refusal = scrub.text(choice.message.refusal or "") if choice is not None else ""
    if refusal:
        return None, BackendError(kind="unexpected", message=f"The deployment '{deployment}' declined to "
                                                             f"describe the image: {refusal}")
    return None, BackendError(kind="unexpected", message=f"The deployment '{deployment}' answered without any "
                                                         "text. Check that it runs a multimodal chat model.")


def describe_image(png_bytes: bytes, settings: Settings, *, prompt: str = DEFAULT_PROMPT,
                   timeout_s: float = DEFAULT_TIMEOUT_S) -> Description:
    """Ask the vision deployment for a caption of ``png_bytes``. Never raises for a service failure."""
    started = perf_counter()
    deployment = settings.azure_vision_deployment
    if not vision_configured(settings) or deployment is None:
        return Description(error=BackendError(kind="unavailable", message=HOW_TO_ENABLE))
    refused = _refusal(png_bytes)
    if refused:
        return Description(error=BackendError(kind="validation", message=refused))
    backend = AzureBackend.from_settings(settings.model_copy(update={"azure_deployment": deployment}),
                                         timeout_s=timeout_s)
    key = settings.azure_api_key.get_secret_value() if settings.azure_api_key else None
    ctx = ErrorContext(backend="azure", model=deployment, timeout_s=timeout_s, api_version=backend.api_version,
                       entra_id=settings.azure_use_entra_id, scrub=Scrubber([key]))
    url = f"data:{sniff_mime(png_bytes)};base64,{base64.b64encode(png_bytes).decode()}"
    messages = [{"role": "user", "content": [{"type": "text", "text": prompt},
                                             {"type": "image_url", "image_url": {"url": url}}]}]
    result = Description()
    try:
        raw = backend.client.chat.completions.with_raw_response.create(model=deployment, messages=messages)
        result.request_id = request_id(raw.headers)
        completion = raw.parse()
        result.text, result.error = _read(completion, ctx.scrub, deployment)
        result.usage = completion.usage.to_dict() if completion.usage is not None else None
    except (openai.APIError, ClientAuthenticationError) as exc:
        result.error = _reworded(from_exception(exc, ctx), deployment, timeout_s)
        response = getattr(exc, "response", None)
        if response is not None:
            result.request_id = request_id(response.headers)
    finally:
        backend.client.close()
    result.elapsed_s = perf_counter() - started
    return result
