"""The local backend with the real embedded model: generate, previews, inpaint, filter, signing."""

import io
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from devtools.fake_openai import png_bytes
from genlab.backends.code import code_samples
from genlab.backends.local import LocalBackend
from genlab.backends.types import ImageRequest
from genlab.diffusion import RESOLUTION
from genlab.settings import Settings

try:
    from genlab.diffusion import pipeline
except ImportError as exc:  # the model is another engineer's module; these tests wait for it
    pytest.skip(f"genlab.diffusion.pipeline is not importable yet ({exc})", allow_module_level=True)

STEPS = 4  # enough to exercise the loop; image quality is the model's own tests' business


def pixels(data: bytes) -> np.ndarray:
    with Image.open(io.BytesIO(data)) as img:
        return np.asarray(img.convert("RGB"))


@pytest.fixture
def local(tmp_path: Path) -> LocalBackend:
    return LocalBackend(data_dir=tmp_path)  # the demo signing CA goes to a temporary folder


def test_available_names_the_model(local: LocalBackend) -> None:
    availability = local.available()
    assert availability and pipeline.MODEL_NAME in availability.reason and local.model == pipeline.MODEL_NAME


def test_generate_makes_signed_pngs_at_the_models_size_and_a_seed_repeats_them(local: LocalBackend) -> None:
    request = ImageRequest("a red circle", seed=7, steps=STEPS, n=2)
    first, again = local.generate(request), local.generate(request)
    assert first.ok, first.error
    assert first.mime == "image/png" and len(first.images) == 2 and first.seed == 7
    assert all(pixels(data).shape == (RESOLUTION, RESOLUTION, 3) for data in first.images)
    assert all(b"caBX" in data for data in first.images)  # C2PA manifest chunk: signed
    assert [pixels(d).tolist() for d in first.images] == [pixels(d).tolist() for d in again.images]
    assert first.cost is not None and first.cost.label == "Free, on your CPU."
    assert {"total", "model", "encode", "sign"} <= set(first.timings)


def test_a_missing_seed_is_chosen_and_reported(local: LocalBackend) -> None:
    result = local.generate(ImageRequest("a blue square", steps=STEPS))
    assert result.ok and isinstance(result.seed, int)


def test_unknown_words_become_notes(local: LocalBackend) -> None:
    result = local.generate(ImageRequest("a red circle wearing a sombrero", seed=1, steps=STEPS))
    assert result.ok and any("sombrero" in note for note in result.notes)


def test_partial_previews_reach_the_callback(local: LocalBackend) -> None:
    previews: list[tuple[int, bytes]] = []
    result = local.generate(ImageRequest("a red circle", seed=1, steps=6, partial_images=2),
                            on_partial=lambda i, data: previews.append((i, data)))
    assert result.ok and [i for i, _ in previews] == [0, 1]
    assert pixels(previews[0][1]).shape == (RESOLUTION, RESOLUTION, 3)


def test_inpaint_changes_only_the_transparent_area(local: LocalBackend) -> None:
    image = png_bytes(64, 64, colour=(200, 30, 30))
    mask = png_bytes(64, 64, transparent_box=(0, 0, 32, 64))  # the left half is to be re-imagined
    result = local.edit(ImageRequest("a blue square", images=[image], mask=mask, seed=3, steps=STEPS))
    assert result.ok, result.error
    kept = pixels(result.images[0])[:, RESOLUTION // 2:]
    assert (kept == np.array([200, 30, 30], dtype=np.uint8)).all()


def test_edit_needs_a_mask_with_room_to_change(local: LocalBackend) -> None:
    image = png_bytes(64, 64)
    no_mask = local.edit(ImageRequest("a circle", images=[image]))
    assert no_mask.error is not None and no_mask.error.message == (
        "The local model edits by re-imagining the transparent part of a mask: add the image and a mask "
        "before choosing Edit.")
    big = png_bytes(4 * RESOLUTION, 4 * RESOLUTION)
    speck_mask = png_bytes(4 * RESOLUTION, 4 * RESOLUTION, transparent_box=(0, 0, 1, 1))
    speck = local.edit(ImageRequest("a circle", images=[big], mask=speck_mask))
    assert speck.error is not None and speck.error.message == (
        f"The transparent part of the mask is too small to survive shrinking the image to {RESOLUTION}x{RESOLUTION} "
        "pixels; erase a larger area and try again.")


def test_the_content_filter_blocks_before_the_model_runs(local: LocalBackend) -> None:
    result = local.generate(ImageRequest("a bloody red circle", seed=1, steps=STEPS))
    assert result.error is not None and result.error.kind == "content_filter" and not result.images
    assert result.error.message == ("The local model's content filter blocked your prompt as violence "
                                    "(medium). No image was made; rephrase the prompt and try again.")
    assert result.error.details["matched"] == {"violence": ["bloody"]} and "model" not in result.timings
    allowed = local.generate(ImageRequest("a knife shaped circle", seed=1, steps=STEPS))
    assert allowed.ok and allowed.notes[0] == ("The content filter rated your prompt violence (low), which "
                                               "it allows; it blocks medium and high.")


def test_the_local_code_sample_draws_the_same_image(local: LocalBackend, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    request = ImageRequest("a red circle", seed=11, steps=STEPS)
    [sample] = code_samples(request, Settings(data_dir=tmp_path), "local")
    monkeypatch.chdir(tmp_path)
    exec(compile(sample.code, "sample", "exec"), {"__name__": "sample"})
    result = local.generate(request)
    assert (pixels((tmp_path / "image_1.png").read_bytes()) == pixels(result.images[0])).all()
