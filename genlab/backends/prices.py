"""What an image costs: an estimate before the call, the actual figure from ``usage`` after it.

The table is OpenAI's list prices as gathered for this project (``shared/reference/openai-images-api.md``
section 2.1, dated :data:`PRICES_AS_OF`); gpt-image-1.5's figures come from consistent secondary
sources, and Azure's prices were not found, so every label says "Azure may differ". Learners should
see where a number comes from, so no figure leaves this module without its label.
"""

from typing import Any

from genlab.backends.limits import limits_for, resolve_model
from genlab.backends.types import CostEstimate, ImageRequest

PRICES_AS_OF = "2026-11-22"

#: USD per image by quality, for the sizes 1024x1024, 1024x1536, 1536x1024 (in that order).
PER_IMAGE: dict[str, dict[str, tuple[float, float, float]]] = {
    "gpt-image-1.5": {"low": (0.009, 0.013, 0.013), "medium": (0.034, 0.05, 0.05),
                      "high": (0.133, 0.20, 0.20)},
    "gpt-image-1": {"low": (0.011, 0.016, 0.016), "medium": (0.042, 0.063, 0.063),
                    "high": (0.167, 0.25, 0.25)},
    "gpt-image-1-mini": {"low": (0.005, 0.006, 0.006), "medium": (0.011, 0.015, 0.015),
                         "high": (0.036, 0.052, 0.052)},
}

#: USD per million tokens: text in, image in, image out.
TOKEN_RATES: dict[str, tuple[float, float, float]] = {
    "gpt-image-1.5": (5.0, 8.0, 32.0),
    "gpt-image-1": (5.0, 10.0, 40.0),
    "gpt-image-1-mini": (2.0, 2.5, 8.0),
}

SIZE_INDEX = {"1024x1024": 0, "1024x1536": 1, "1536x1024": 2}

#: Priced as the dearest model when a name (an Azure deployment) does not say which model it runs,
#: so a daily budget is never overrun by a guess.
FALLBACK_MODEL = "gpt-image-1"

SOURCE = f"OpenAI list prices gathered {PRICES_AS_OF}; Azure may differ"
FREE = CostEstimate(usd=0.0, basis="free", label="Free, on your CPU.")


def dollars(usd: float) -> str:
    """$0.0133 for small sums (a cent matters here), $1.25 from a dollar up."""
    return f"${usd:.2f}" if usd >= 1 else f"${usd:.4f}"


def _priced_as(model: str) -> tuple[str, str]:
    """The table row to use for ``model`` and, when it had to be guessed, a clause saying so."""
    known = resolve_model(model)
    if known is not None:
        return known, ""
    return FALLBACK_MODEL, f"; '{model}' is priced as {FALLBACK_MODEL}, the dearest, as its name does not say"


def estimate(request: ImageRequest, model: str, backend: str = "openai") -> CostEstimate:
    """The cost of ``request`` before it is sent: per-image list price times ``n``, plus the prompt.

    What the learner left unset counts as the backend's default (on Azure: 1024x1024, and ``high``
    quality, ``medium`` for mini); "auto" quality or size (OpenAI's defaults) counts as the dearest
    choice, since the service may pick it. Edits also bill their input images as tokens, which cannot be
    known in advance.
    """
    if backend == "local":
        return FREE
    row, guessed = _priced_as(model)
    quality = request.quality or limits_for(backend, model).default_quality
    if quality in (None, "auto"):
        quality = "high"
    size = request.size if request.size is not None or backend != "azure" else "1024x1024"
    prices = PER_IMAGE[row][quality]
    per_image = prices[SIZE_INDEX[size]] if size in SIZE_INDEX else max(prices)
    text_tokens = len(request.prompt) / 4
    usd = request.n * per_image + text_tokens * TOKEN_RATES[row][0] / 1e6
    extra = ", plus the input images" if request.is_edit else ""
    return CostEstimate(usd=usd, basis="estimate", as_of=PRICES_AS_OF,
                        label=f"About {dollars(usd)}{extra} (estimate; {SOURCE}{guessed}).")


def actual(usage: dict[str, Any] | None, model: str) -> CostEstimate | None:
    """The cost from the tokens the service reported, or None when it reported none.

    ``usage`` is the response's ``usage`` as a dict: text and image input tokens, output tokens.
    """
    if not usage:
        return None
    row, guessed = _priced_as(model)
    text_rate, image_in_rate, image_out_rate = TOKEN_RATES[row]
    details = usage.get("input_tokens_details") or {}
    text_in = details.get("text_tokens", usage.get("input_tokens", 0))
    image_in = details.get("image_tokens", 0)
    output = usage.get("output_tokens", 0)
    usd = (text_in * text_rate + image_in * image_in_rate + output * image_out_rate) / 1e6
    return CostEstimate(usd=usd, basis="actual", as_of=PRICES_AS_OF,
                        label=f"{dollars(usd)} for {text_in + image_in:,} input and {output:,} output "
                              f"tokens ({SOURCE}{guessed}).")
