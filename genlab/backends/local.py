"""The small diffusion model that ships with the app, behind the same interface as the services.

It needs no key and no network, so every learner can generate, edit and stream previews from the
first minute. Its images are 64x64 pixels (the model's native size; the page enlarges them for
display), encoded as PNG once, then signed with Content Credentials so the provenance lesson has a
real manifest to inspect. Prompts pass a small, documented content filter first (``safety.py``), so
the responsible-AI lesson also works offline.
"""

import io
import logging
import secrets
from collections.abc import Callable
from functools import cache
from pathlib import Path
from time import perf_counter
from types import ModuleType
from typing import Any

import numpy as np
from PIL import Image

from genlab.backends import safety
from genlab.backends.control import CallControl
from genlab.backends.limits import LOCAL_SIZE, validate
from genlab.backends.masks import mask_area
from genlab.backends.prices import FREE
from genlab.backends.types import Availability, BackendError, ImageRequest, ImageResult, PartialCallback

log = logging.getLogger(__name__)

SIDE = int(LOCAL_SIZE.split("x")[0])

UNAVAILABLE = ("The local model is not installed in this copy of the app (genlab.diffusion.pipeline could "
               "not be loaded), so use Azure OpenAI or OpenAI, or ask whoever runs the app to check the "
               "installation.")


@cache
def _pipeline() -> ModuleType | None:
    """The model module, loaded once per process; None when this copy of the app does not have it."""
    try:
        from genlab.diffusion import pipeline
    except ImportError:
        log.warning("genlab.diffusion.pipeline could not be imported", exc_info=True)
        return None
    return pipeline


def model_input(image: bytes, mask: bytes) -> tuple[np.ndarray, np.ndarray]:
    """An uploaded image and its mask, shrunk to the model's size: RGB pixels, and True where the mask
    says "change here" (:func:`genlab.backends.masks.mask_area`), which is the area to re-imagine."""
    with Image.open(io.BytesIO(image)) as img:
        pixels = np.asarray(img.convert("RGB").resize((SIDE, SIDE), Image.Resampling.BOX))
    area = mask_area(mask, (SIDE, SIDE))
    if area is None:
        raise ValueError("the mask could not be read as a picture")
    return pixels, area


class _Previews:
    """The pipeline's per-step callback, passing ``count`` evenly spaced previews on as partial images."""

    def __init__(self, count: int, on_partial: PartialCallback,
                 encode: Callable[[np.ndarray], bytes]) -> None:
        self.count, self.on_partial, self.encode, self.sent = count, on_partial, encode, 0

    def __call__(self, step: int, total: int, preview: Callable[[], np.ndarray]) -> None:
        """``step`` counts finished steps (1..total); previews land at 1/(count+1), 2/(count+1)...; only those
        steps decode their guess."""
        if self.sent < self.count and step >= (self.sent + 1) * total / (self.count + 1):
            self.on_partial(self.sent, self.encode(preview()[0]))
            self.sent += 1


class LocalBackend:
    """Text-to-image and inpainting with the embedded model; free, on your CPU."""

    name = "local"

    def __init__(self, *, sign_prompt: bool = True, data_dir: Path | None = None) -> None:
        """``sign_prompt``: whether the prompt goes into the Content Credentials; ``data_dir``: where the
        signing identity lives (None: the configured data directory)."""
        self.sign_prompt = sign_prompt
        self.data_dir = data_dir

    @property
    def model(self) -> str:
        pipeline = _pipeline()
        return pipeline.MODEL_NAME if pipeline is not None else "local diffusion model"

    def available(self) -> Availability:
        pipeline = _pipeline()
        if pipeline is None:
            return Availability(False, UNAVAILABLE)
        return Availability(True, f"The local model {pipeline.MODEL_NAME} {pipeline.MODEL_VERSION} runs on "
                                  "this computer's CPU: free, no key needed.")

    def generate(self, request: ImageRequest, on_partial: PartialCallback | None = None,
                 control: CallControl | None = None) -> ImageResult:
        """Draw ``request.n`` images of the prompt. A missing seed is picked at random and reported.

        ``control`` is accepted for the common interface; the studio's engine enforces its deadline from
        outside, because a model run on the CPU has no reads to interrupt."""
        return self._run(request, "generate", on_partial)

    def edit(self, request: ImageRequest, on_partial: PartialCallback | None = None,
             control: CallControl | None = None) -> ImageResult:
        """Re-imagine the transparent area of ``request.mask`` on ``request.images[0]``."""
        return self._run(request, "edit", on_partial)

    def _run(self, request: ImageRequest, operation: str, on_partial: PartialCallback | None) -> ImageResult:
        started = perf_counter()
        result = ImageResult(backend=self.name, model=self.model, cost=FREE)
        result.error = self._refuse(request, operation)
        if result.error is None:
            result.error, result.notes = safety.check(request.prompt)
        if result.error is None:
            self._draw(request, operation, on_partial, result)
        if result.error is not None:
            result.cost = None
        result.timings["total"] = perf_counter() - started
        return result

    def _refuse(self, request: ImageRequest, operation: str) -> BackendError | None:
        if _pipeline() is None:
            return BackendError(kind="unavailable", message=UNAVAILABLE)
        refusals = validate(request, self.name, self.model, operation)
        if refusals:
            return BackendError(kind="validation", message=" ".join(refusals), details={"refusals": refusals})
        return None

    def _draw(self, request: ImageRequest, operation: str, on_partial: PartialCallback | None,
              result: ImageResult) -> None:
        from genlab.diffusion.display import png_bytes  # the model's own pixels, encoded once

        pipeline = _pipeline()
        assert pipeline is not None  # checked by _refuse
        result.seed = request.seed if request.seed is not None else secrets.randbelow(2**31)
        kwargs: dict[str, Any] = {"seed": result.seed, "n": request.n}
        if request.steps is not None:
            kwargs["num_inference_steps"] = request.steps
        if request.guidance is not None:
            kwargs["guidance_scale"] = request.guidance
        if request.partial_images and on_partial is not None:
            kwargs["callback"] = _Previews(request.partial_images, on_partial, png_bytes)
        t = perf_counter()
        try:
            if operation == "edit":
                assert request.mask is not None  # checked by refusals
                pixels, area = model_input(request.images[0], request.mask)
                if not area.any():
                    result.error = BackendError(kind="validation", message=(
                        "The transparent part of the mask is too small to survive shrinking the image to "
                        f"{SIDE}x{SIDE} pixels; erase a larger area and try again."))
                    return
                out = pipeline.inpaint(pixels, area, request.prompt, **kwargs)
            else:
                out = pipeline.generate(request.prompt, **kwargs)
        except ValueError as exc:  # the pipeline's own refusals are sentences
            result.error = BackendError(kind="validation", message=str(exc))
            return
        except Exception as exc:  # a model failure must end as a sentence, not a stack trace on the page
            log.exception("the local model failed")
            name = type(exc).__name__
            result.error = BackendError(kind="local_model", details={"exception": name}, message=(
                f"The local model failed while drawing ({name}). Try again with another seed; if it keeps "
                "happening, tell whoever runs the app."))
            return
        result.timings["model"] = perf_counter() - t
        result.timings.update({f"model.{k}": float(v) for k, v in out.timings.items()})
        t = perf_counter()
        images = [png_bytes(pixels) for pixels in out.images]
        result.timings["encode"] = perf_counter() - t
        t = perf_counter()
        result.images = self._sign(images, request, pipeline, result)
        result.timings["sign"] = perf_counter() - t
        result.notes.extend(out.notes)  # how the prompt was read: unknown words, unconditional sample

    def _sign(self, images: list[bytes], request: ImageRequest, pipeline: ModuleType,
              result: ImageResult) -> list[bytes]:
        """Content Credentials for each image; an image that cannot be signed is kept, with a note."""
        try:
            from genlab.provenance import sign

            parent = request.images[0] if request.is_edit else None
            return [sign(data, prompt=request.prompt, model_name=pipeline.MODEL_NAME,
                         model_version=pipeline.MODEL_VERSION, include_prompt=self.sign_prompt, parent=parent,
                         data_dir=self.data_dir)
                    for data in images]
        except Exception as exc:  # an unsigned image is still the learner's image
            log.exception("signing a local image failed")
            result.notes.append(f"These images carry no Content Credentials, because signing failed "
                                f"({type(exc).__name__}).")
            return images

