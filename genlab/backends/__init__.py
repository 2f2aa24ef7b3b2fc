"""One interface, three image backends: the local model, Azure OpenAI and OpenAI.

The page asks :func:`available_backends` what can run here, builds one with :func:`get_backend` (once
per process; clients are reusable), and calls ``generate`` or ``edit`` with an
:class:`ImageRequest`. The SDK and the model are imported only when a backend is built, so the store
(which imports this package's ``tables``) does not pay for them at start-up.
"""

from genlab.backends.types import (
    Availability,
    Backend,
    BackendError,
    CostEstimate,
    ImageRequest,
    ImageResult,
    PartialCallback,
)
from genlab.errors import LearnerError
from genlab.settings import Settings

BACKEND_NAMES: tuple[str, ...] = ("local", "azure", "openai")


class BackendUnavailable(LearnerError, ValueError):
    """A backend that cannot be built from these settings; the message says which setting to add."""


def get_backend(name: str, settings: Settings, *, timeout_s: float | None = None,
                max_retries: int | None = None, azure_route: str = "classic") -> Backend:
    """The backend called ``name``, configured from ``settings``.

    ``timeout_s`` (the deadline of one call) and ``max_retries`` (0 or 1) apply to the remote backends
    (defaults: 120 s, one retry of a failure that cannot have made an image);
    ``azure_route`` picks the classic ``/openai/deployments`` path or the ``/openai/v1/`` one.
    """
    if name == "local":
        from genlab.backends.local import LocalBackend

        return LocalBackend(sign_prompt=settings.sign_prompt, data_dir=settings.data_dir)
    if name not in BACKEND_NAMES:
        raise BackendUnavailable(f"There is no backend called '{name}'; choose local, azure or openai.")
    from genlab.backends import remote

    options = {"timeout_s": timeout_s if timeout_s is not None else remote.DEFAULT_TIMEOUT_S,
               "max_retries": max_retries if max_retries is not None else remote.DEFAULT_MAX_RETRIES}
    if name == "azure":
        if not settings.azure_configured:
            raise BackendUnavailable(_reason(settings)["azure"])
        return remote.AzureBackend.from_settings(settings, route=azure_route, **options)
    if not settings.openai_configured:
        raise BackendUnavailable(_reason(settings)["openai"])
    return remote.OpenAIBackend.from_settings(settings, **options)


def _reason(settings: Settings) -> dict[str, str]:
    return {
        "azure": (f"Azure OpenAI deployment '{settings.azure_deployment}' is configured."
                  if settings.azure_configured else
                  "Azure OpenAI is not configured: set AZURE_OPENAI_ENDPOINT, AZURE_OPENAI_DEPLOYMENT and "
                  "AZURE_OPENAI_API_KEY (or AZURE_OPENAI_USE_ENTRA_ID=true) to use it."),
        "openai": (f"OpenAI is configured (model {settings.openai_model})." if settings.openai_configured else
                   "OpenAI is not configured: set OPENAI_API_KEY to use it."),
    }


def available_backends(settings: Settings) -> dict[str, Availability]:
    """Every backend, in menu order, with whether it can be used here and a sentence saying why."""
    from genlab.backends.local import LocalBackend

    reasons = _reason(settings)
    return {
        "local": LocalBackend(sign_prompt=settings.sign_prompt, data_dir=settings.data_dir).available(),
        "azure": Availability(settings.azure_configured, reasons["azure"]),
        "openai": Availability(settings.openai_configured, reasons["openai"]),
    }


__all__ = [
    "BACKEND_NAMES",
    "Availability",
    "Backend",
    "BackendError",
    "BackendUnavailable",
    "CostEstimate",
    "ImageRequest",
    "ImageResult",
    "PartialCallback",
    "available_backends",
    "get_backend",
]
