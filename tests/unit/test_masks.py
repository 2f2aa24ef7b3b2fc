"""Edit masks: one rule (alpha below 128 changes the pixel) read the same by the local model, the studio's
overlay and a painted mask."""

import io

import numpy as np
from PIL import Image

from genlab.backends.local import SIDE, model_input
from genlab.backends.masks import CHANGE_BELOW, change_area, mask_area, mask_png, painted_area, region_area


def rgba_png(alpha: np.ndarray) -> bytes:
    rgba = np.zeros((*alpha.shape, 4), dtype=np.uint8)
    rgba[..., 3] = alpha
    out = io.BytesIO()
    Image.fromarray(rgba, "RGBA").save(out, "PNG")
    return out.getvalue()


def test_alpha_below_the_threshold_means_change_here() -> None:
    assert CHANGE_BELOW == 128
    assert change_area(np.array([0, 127, 128, 255])).tolist() == [True, True, False, False]
    alpha = np.full((4, 4), 255, dtype=np.uint8)
    alpha[0, 0], alpha[0, 1] = 127, 128
    assert mask_area(rgba_png(alpha)).sum() == 1


def test_the_local_model_reads_a_mask_with_the_same_rule() -> None:
    alpha = np.full((SIDE, SIDE), 255, dtype=np.uint8)
    alpha[:, : SIDE // 2] = 100  # half transparent is still "change" by the rule
    image = io.BytesIO()
    Image.new("RGB", (SIDE, SIDE), (9, 9, 9)).save(image, "PNG")
    _, area = model_input(image.getvalue(), rgba_png(alpha))
    assert np.array_equal(area, mask_area(rgba_png(alpha)))
    assert area[:, : SIDE // 2].all() and not area[:, SIDE // 2:].any()


def test_a_made_mask_is_fully_transparent_where_it_changes() -> None:
    area = region_area((32, 32), "centre")
    assert area.sum() == 16 * 16 and area[8:24, 8:24].all()
    mask = mask_png(area)
    with Image.open(io.BytesIO(mask)) as m:
        alpha = np.asarray(m.getchannel("A"))
    assert set(np.unique(alpha)) == {0, 255}  # the services edit fully transparent pixels only
    assert np.array_equal(mask_area(mask), area)


def test_painting_on_the_enlarged_picture_marks_the_pixels_mostly_painted() -> None:
    strokes = np.zeros((256, 256, 4), dtype=np.uint8)  # the canvas: 8x8 screen pixels per image pixel
    strokes[0:64, 0:64, 3] = 140  # a stroke over the top-left 8x8 image pixels
    strokes[64:68, 0:8, 3] = 255  # half of one more image pixel: changes (at least half painted)
    strokes[72:75, 0:8, 3] = 255  # three eighths of another: kept
    area = painted_area(strokes, (32, 32))
    assert area.shape == (32, 32)
    assert area[:8, :8].all() and area[8, 0] and not area[9, 0]
    assert area.sum() == 65


def test_a_painting_scales_to_a_wide_picture() -> None:
    strokes = np.zeros((171, 256, 4), dtype=np.uint8)
    strokes[:, 128:, 3] = 255  # the right half
    area = painted_area(strokes, (1536, 1024))
    assert area.shape == (1024, 1536) and area[:, 800:].all() and not area[:, :700].any()


def test_an_unreadable_mask_has_no_area() -> None:
    assert mask_area(b"not a png") is None
