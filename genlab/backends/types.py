"""The values that cross the backend boundary: a request, a result, an error, a cost.

Every backend (the small local model, Azure OpenAI, OpenAI) takes the same :class:`ImageRequest` and
gives back the same :class:`ImageResult`, so the studio page, the gallery and the "view code" panel
never need to know which one ran. Failures are values too (:class:`BackendError` on the result), not
exceptions, because every one of them ends as a sentence on the page.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from genlab.backends.control import CallControl

#: ``on_partial(index, png_bytes)``: called with each partial image while a stream is running.
PartialCallback = Callable[[int, bytes], None]

#: Whether a request was billed: "no" (refused or never sent), "yes" (the service reported usage),
#: "maybe" (it reached the service and the answer was lost or broken: usage unknown).
BILLED = ("no", "yes", "maybe")

EXTENSIONS: dict[str, str] = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp"}

#: The Microsoft Entra ID scope of Azure OpenAI (shared by the backend and its "view code" samples).
ENTRA_SCOPE = "https://cognitiveservices.azure.com/.default"



@dataclass
class ImageRequest:
    """What the learner asked for. ``None`` means "not sent": the service's own default applies.

    ``seed``, ``steps`` and ``guidance`` exist only on the local model; ``images`` and ``mask`` make
    the request an edit. ``partial_images`` (0-3) asks for a stream of rough previews.
    """

    prompt: str
    size: str | None = None
    quality: str | None = None
    n: int = 1
    output_format: str | None = None
    background: str | None = None
    seed: int | None = None
    steps: int | None = None
    guidance: float | None = None
    images: list[bytes] = field(default_factory=list)
    mask: bytes | None = None
    partial_images: int = 0

    @property
    def is_edit(self) -> bool:
        return bool(self.images)

    def parameters(self) -> dict[str, Any]:
        """The settings worth recording with a result: everything but the prompt and the bytes."""
        params: dict[str, Any] = {
            "operation": "edit" if self.is_edit else "generate",
            "size": self.size, "quality": self.quality, "n": self.n,
            "output_format": self.output_format, "background": self.background,
            "seed": self.seed, "steps": self.steps, "guidance": self.guidance,
            "partial_images": self.partial_images,
        }
        if self.is_edit:
            params["input_images"] = len(self.images)
            params["mask"] = self.mask is not None
        return {k: v for k, v in params.items() if v is not None}


@dataclass(frozen=True)
class CostEstimate:
    """What a request costs or cost, in US dollars, with a label that says where the number comes from.

    ``basis`` is "estimate" (before the call, from the price table), "actual" (after it, from the
    tokens the service reported) or "free" (the local model). ``as_of`` is the price table's date.
    """

    usd: float
    basis: str
    label: str
    as_of: str | None = None


@dataclass
class BackendError:
    """A failure, explained. ``message`` is one or two sentences: what happened and what to do.

    ``kind`` is a stable name the page can branch on (see ``genlab.backends.errors.KINDS``);
    ``details`` holds structured facts (content filter categories and severities, the stage that was
    blocked, the parameter that was refused); ``raw`` is the service's error body with every secret
    scrubbed, for the "show raw" expander.
    """

    kind: str
    message: str
    details: dict[str, Any] = field(default_factory=dict)
    retry_after_s: float | None = None
    raw: Any = None
    status: int | None = None


@dataclass
class ImageResult:
    """What came back: the original bytes of each image, exactly as the backend produced them.

    The bytes are never re-encoded on the way (a re-save would strip Content Credentials).
    ``timings`` are seconds ("total" always; "network", "model", "sign"... where they apply).
    ``partials`` are the stream's previews that arrived (kept when the final image does not come),
    ``billed`` says whether the request cost money (see :data:`BILLED`), ``requests`` how many HTTP
    requests the call made (a retry makes two).
    """

    backend: str
    model: str
    images: list[bytes] = field(default_factory=list)
    mime: str = "image/png"
    usage: dict[str, Any] | None = None
    timings: dict[str, float] = field(default_factory=dict)
    request_id: str | None = None
    revised_prompt: str | None = None
    error: BackendError | None = None
    cost: CostEstimate | None = None
    notes: list[str] = field(default_factory=list)
    seed: int | None = None
    partials: list[bytes] = field(default_factory=list)
    billed: str = "no"
    requests: int = 0

    @property
    def ok(self) -> bool:
        """A success has no error and at least one image whose bytes decoded."""
        return self.error is None and bool(self.images)


@dataclass(frozen=True)
class Availability:
    """Whether a backend can be used here, and a sentence saying why (or why not)."""

    ok: bool
    reason: str

    def __bool__(self) -> bool:
        return self.ok


class Backend(Protocol):
    """The one interface the studio talks to."""

    name: str
    model: str

    def available(self) -> Availability: ...

    def generate(self, request: ImageRequest, on_partial: PartialCallback | None = None,
                 control: "CallControl | None" = None) -> ImageResult: ...

    def edit(self, request: ImageRequest, on_partial: PartialCallback | None = None,
             control: "CallControl | None" = None) -> ImageResult: ...
