"""What each model accepts, per backend, and :func:`validate`, which says no before a call is paid for.

The tables follow the research notes in ``shared/reference/openai-images-api.md`` (section 2): the
GPT image models share sizes, qualities and ``n``; Azure lists only the three fixed sizes, has no
WEBP output and defaults to ``high`` quality; OpenAI shut ``gpt-image-1`` down on 2026-10-23. The
local model is the small diffusion model that ships with the app.

A refusal is a sentence a learner can act on. Checking here (rather than letting the service answer
400) is faster, free, and lets the page explain the rule, which is the point of a learning app.
"""

from dataclasses import dataclass

from PIL import Image

from genlab import images
from genlab.backends.types import ImageRequest
from genlab.diffusion import RESOLUTION

MB = 1024 * 1024

#: The GPT image models this app knows, newest first.
GPT_IMAGE_MODELS: tuple[str, ...] = ("gpt-image-1.5", "gpt-image-1", "gpt-image-1-mini")

#: Models that no longer answer on a backend, with the sentence that says what to do instead.
RETIRED: dict[tuple[str, str], str] = {
    ("openai", "gpt-image-1"): "OpenAI shut down gpt-image-1 on October 23, 2026; choose gpt-image-1.5 "
                               "or gpt-image-1-mini instead.",
}

#: What the app calls each backend inside a sentence: the engine's messages, the studio and the sidebar.
SERVICE_NAMES: dict[str, str] = {"local": "the local model", "azure": "Azure OpenAI", "openai": "OpenAI"}


def service_name(backend: str, *, start: bool = False) -> str:
    """The backend's name in a sentence; ``start`` capitalises it as the sentence's first word."""
    return capitalised(SERVICE_NAMES[backend]) if start else SERVICE_NAMES[backend]


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class ModelLimits:
    """The values one model accepts on one backend. Empty ``qualities`` means "no quality setting"."""

    backend: str
    model: str
    sizes: tuple[str, ...]
    qualities: tuple[str, ...]
    default_quality: str | None
    n_max: int
    formats: tuple[str, ...]
    input_formats: tuple[str, ...]
    max_input_images: int
    max_prompt_chars: int
    prompt_required: bool
    partial_images_max: int = 3
    local_controls: bool = False  # seed, steps and guidance
    steps_range: tuple[int, int] = (1, 100)  # the studio's cap: one CPU is shared by the whole class
    guidance_range: tuple[float, float] = (0.0, 20.0)
    max_input_mb: int = 50
    max_mask_mb: int = 4


LOCAL_SIZE = f"{RESOLUTION}x{RESOLUTION}"

LOCAL = ModelLimits(
    backend="local", model="local", sizes=(LOCAL_SIZE,), qualities=(), default_quality=None, n_max=8,
    formats=("png",), input_formats=("png", "jpeg", "webp"), max_input_images=1,
    max_prompt_chars=1000, prompt_required=False, local_controls=True,
)


def resolve_model(name: str) -> str | None:
    """The GPT image model behind a name, or None when the name does not say.

    On Azure the name is a *deployment* name the learner chose ("img15", "my-gpt-image-1.5"), so an
    exact match is not enough: the well-known model names are looked for inside it, longest first.
    """
    lowered = name.lower()
    if lowered in GPT_IMAGE_MODELS:
        return lowered
    for model, hints in (("gpt-image-1-mini", ("1-mini", "mini")), ("gpt-image-1.5", ("1.5", "15")),
                         ("gpt-image-1", ("gpt-image-1",))):
        if any(h in lowered for h in hints):
            return model
    return None


def limits_for(backend: str, model: str) -> ModelLimits:
    """The limits of ``model`` on ``backend`` ("azure", "openai" or "local").

    A GPT image model this app does not know (a newer one, or a deployment name that does not say)
    gets the rules all three known models share, so it is not refused for being new.
    """
    if backend == "local":
        return LOCAL
    known = resolve_model(model)
    if backend == "azure":
        return ModelLimits(
            backend="azure", model=model, sizes=("1024x1024", "1536x1024", "1024x1536"),
            qualities=("low", "medium", "high"),
            default_quality="medium" if known == "gpt-image-1-mini" else "high",
            n_max=10, formats=("png", "jpeg"), input_formats=("png", "jpeg"), max_input_images=16,
            max_prompt_chars=32_000, prompt_required=True,
        )
    if backend == "openai":
        return ModelLimits(
            backend="openai", model=model, sizes=("1024x1024", "1536x1024", "1024x1536", "auto"),
            qualities=("low", "medium", "high", "auto"), default_quality="auto", n_max=10,
            formats=("png", "jpeg", "webp"), input_formats=("png", "jpeg", "webp"), max_input_images=16,
            max_prompt_chars=32_000, prompt_required=True,
        )
    raise ValueError(f"There is no backend called '{backend}'; use local, azure or openai.")


def _or_list(values: tuple[str, ...] | list[str]) -> str:
    """'a', 'a or b', 'a, b or c': lists in sentences read better than Python tuples."""
    items = list(values)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " or " + items[-1]


def _check_prompt(request: ImageRequest, lim: ModelLimits) -> list[str]:
    if lim.prompt_required and not request.prompt.strip():
        return ["Type a prompt: the service needs a description of the image to make."]
    if len(request.prompt) > lim.max_prompt_chars:
        return [f"The prompt is {len(request.prompt):,} characters long and the limit is "
                f"{lim.max_prompt_chars:,}; shorten it."]
    return []


def _check_output(request: ImageRequest, lim: ModelLimits, service: str) -> list[str]:
    out: list[str] = []
    if request.size is not None and request.size not in lim.sizes:
        if lim.backend == "local":
            out.append(f"The local model only makes {LOCAL_SIZE} images (the page enlarges them for display); "
                       f"leave the size at {LOCAL_SIZE}.")
        else:
            out.append(f"{capitalised(service)} cannot make {request.size} images with {lim.model}; choose "
                       f"{_or_list(lim.sizes)}.")
    if request.quality is not None:
        if not lim.qualities:
            out.append("The local model has no quality setting; use steps and guidance instead.")
        elif request.quality not in lim.qualities:
            out.append(f"'{request.quality}' is not a quality {service} offers for {lim.model}; choose "
                       f"{_or_list(lim.qualities)}.")
    if not 1 <= request.n <= lim.n_max:
        out.append(f"Ask for between 1 and {lim.n_max} images at a time (you asked for {request.n}).")
    fmt = request.output_format
    if fmt is not None and fmt not in lim.formats:
        if lim.backend == "azure" and fmt == "webp":
            out.append("Azure OpenAI does not support WEBP output; choose png or jpeg.")
        else:
            out.append(f"{capitalised(service)} cannot return {fmt} images; choose {_or_list(lim.formats)}.")
    if request.background is not None:
        if lim.backend == "local":
            out.append("The local model has no background setting; describe the background in the "
                       "prompt instead (for example 'on a blue background').")
        elif request.background not in ("transparent", "opaque", "auto"):
            out.append(f"The background must be transparent, opaque or auto, not '{request.background}'.")
        elif request.background == "transparent" and (fmt or "png") not in ("png", "webp"):
            alpha_formats = [f for f in ("png", "webp") if f in lim.formats]
            out.append(f"A transparent background needs {_or_list(alpha_formats)} output, because "
                       f"{fmt} has no transparency; change the format or the background.")
    if not 0 <= request.partial_images <= lim.partial_images_max:
        out.append(f"Ask for between 0 and {lim.partial_images_max} partial images.")
    return out


def _check_controls(request: ImageRequest, lim: ModelLimits) -> list[str]:
    """Seed, steps and guidance: the local model's dials, which GPT image models do not have."""
    out: list[str] = []
    if not lim.local_controls:
        if request.seed is not None:
            out.append("GPT image models have no seed, so the same prompt gives a different image each "
                       "time; clear the seed, or use the local model to see how a seed makes results "
                       "repeatable.")
        if request.steps is not None or request.guidance is not None:
            out.append("Steps and guidance are settings of the local diffusion model; GPT image models "
                       "do not expose them, so clear them for this backend.")
        return out
    lo, hi = lim.steps_range
    if request.steps is not None and not lo <= request.steps <= hi:
        out.append(f"Choose between {lo} and {hi} steps (you chose {request.steps}).")
    glo, ghi = lim.guidance_range
    if request.guidance is not None and not glo <= request.guidance <= ghi:
        out.append(f"Choose a guidance scale between {glo:g} and {ghi:g} (you chose {request.guidance:g}).")
    if request.seed is not None and not 0 <= request.seed < 2**32:
        out.append("The seed must be a whole number between 0 and 4,294,967,295.")
    return out


def _check_inputs(request: ImageRequest, lim: ModelLimits, service: str) -> list[str]:
    """Edit inputs: the images' formats and sizes, then the mask (PNG, same size, with transparency)."""
    out: list[str] = []
    if request.mask is not None and not request.images:
        return ["A mask needs an image to edit; add the image first."]
    if len(request.images) > lim.max_input_images:
        if lim.max_input_images == 1:
            out.append(f"The local model edits one image at a time; you gave {len(request.images)}.")
        else:
            out.append(f"{capitalised(service)} edits at most {lim.max_input_images} images at a time; you gave "
                       f"{len(request.images)}.")
    first: Image.Image | None = None
    formats = _or_list([f.upper() for f in lim.input_formats])
    for i, data in enumerate(request.images, start=1):
        img = images.open_header(data)
        label = "The image" if len(request.images) == 1 else f"Image {i}"
        if img is None:
            out.append(f"{label} could not be read as a picture; it may be damaged, so open and save it "
                       "again, or choose another file.")
            continue
        if images.too_many_pixels(img.size):
            out.append(f"{label} is {img.width}x{img.height} pixels, more than the {images.MAX_PIXELS // 1_000_000} "
                       "million this app opens; make it smaller first.")
            continue
        if (img.format or "").lower() not in lim.input_formats:
            out.append(f"{label} is a {img.format} file; {service} accepts {formats}, so convert it first.")
        if len(data) >= lim.max_input_mb * MB:
            out.append(f"{label} is {len(data) / MB:.1f} MB; each image must be under {lim.max_input_mb} MB.")
        first = first or img
    if request.mask is not None and first is not None:
        out.extend(_check_mask(request.mask, first, lim))
    return out


def _check_mask(data: bytes, image: Image.Image, lim: ModelLimits) -> list[str]:
    mask = images.open_header(data)
    if mask is None or mask.format != "PNG" or images.too_many_pixels(mask.size):
        return ["The mask must be a PNG file whose transparent pixels mark the area to change."]
    if len(data) >= lim.max_mask_mb * MB:
        return [f"The mask is {len(data) / MB:.1f} MB; it must be under {lim.max_mask_mb} MB."]
    if mask.size != image.size:
        return [f"The mask is {mask.size[0]}x{mask.size[1]} but the image is {image.size[0]}x"
                f"{image.size[1]}; they must be the same size."]
    if mask.mode not in ("RGBA", "LA", "PA") and "transparency" not in mask.info:
        return ["The mask has no transparency: make the area to change fully transparent and save it "
                "as a PNG with an alpha channel."]
    if mask.convert("RGBA").getchannel("A").getextrema()[0] != 0:
        return ["The mask has no fully transparent pixels, so nothing would change; erase the area to "
                "re-imagine (make it transparent) and try again."]
    return []


def _check_operation(request: ImageRequest, lim: ModelLimits, operation: str | None) -> list[str]:
    """Generate makes new pictures; edit needs a picture (and, on the local model, a mask)."""
    if operation == "generate" and request.is_edit:
        return ["This request has an image to edit; choose Edit, or remove the image to make a new picture."]
    if operation == "edit" and lim.backend == "local" and (not request.is_edit or request.mask is None):
        return ["The local model edits by re-imagining the transparent part of a mask: add the image and a "
                "mask before choosing Edit."]
    if operation == "edit" and not request.is_edit:
        return [f"Add the image to edit ({_or_list([f.upper() for f in lim.input_formats])}) before "
                "choosing Edit."]
    return []


def validate(request: ImageRequest, backend: str, model: str, operation: str | None = None) -> list[str]:
    """Every reason ``backend`` would refuse ``request`` for ``model``, each a sentence ([] if none).

    ``operation`` ("generate" or "edit") also checks that the request fits the button pressed.
    """
    if (backend, model) in RETIRED:
        return [RETIRED[(backend, model)]]
    lim = limits_for(backend, model)
    service = SERVICE_NAMES[backend]
    return (_check_operation(request, lim, operation) + _check_prompt(request, lim)
            + _check_output(request, lim, service) + _check_controls(request, lim)
            + _check_inputs(request, lim, service))
