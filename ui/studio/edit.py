"""The Edit tab: pick an image, mark the area to change (a region or an uploaded mask), write the prompt."""

import io
from pathlib import Path

import numpy as np
import streamlit as st
from PIL import Image

from genlab.backends import ImageRequest
from genlab.backends.gallery import SavedGeneration
from genlab.backends.limits import validate
from genlab.studio import Run
from ui import keys
from ui.studio.results import DISPLAY_PX, display_copy, read_file

REGIONS = ("left half", "right half", "top half", "bottom half", "centre")
UPLOAD_MASK = "upload a PNG mask"


# --- edit ---------------------------------------------------------------------------------------------------


def region_mask(size: tuple[int, int], region: str) -> bytes:
    """A PNG mask the size of the image: opaque everywhere except the region, which is fully transparent
    (the area to change, as in the OpenAI API)."""
    w, h = size
    boxes = {"left half": (0, 0, w // 2, h), "right half": (w - w // 2, 0, w, h), "top half": (0, 0, w, h // 2),
             "bottom half": (0, h - h // 2, w, h), "centre": (w // 4, h // 4, w - w // 4, h - h // 4)}
    alpha = Image.new("L", size, 255)
    alpha.paste(0, boxes[region])
    mask = Image.new("RGBA", size, (0, 0, 0, 255))
    mask.putalpha(alpha)
    buffer = io.BytesIO()
    mask.save(buffer, format="PNG")
    return buffer.getvalue()


def marked(data: bytes, mask: bytes) -> np.ndarray | None:
    """The image with the mask's transparent area painted magenta, for display."""
    try:
        with Image.open(io.BytesIO(data)) as im, Image.open(io.BytesIO(mask)) as m:
            picture = im.convert("RGB")
            area = m.convert("RGBA").getchannel("A").point(lambda a: 255 if a < 128 else 0)
            if area.size != picture.size:
                return None
            picture.paste((255, 0, 255), mask=area)
    except Exception:  # a broken upload: the validation sentence says why
        return None
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return display_copy(buffer.getvalue())


def edit_candidates(runs: list[Run], history: list[SavedGeneration]) -> dict[str, str]:
    """path -> label of every image that can be edited: this visit's results, then the learner's history."""
    found: dict[str, str] = {}
    for run in runs:
        for i, path in enumerate(run.paths, start=1):
            found.setdefault(path, f"Result {i}: {run.prompt[:60] or '(empty prompt)'}")
    for item in history:
        for i, path in enumerate(item.paths, start=1):
            found.setdefault(str(path), f"History #{item.id}, image {i}: {item.prompt[:60] or '(empty prompt)'}")
    return {p: label for p, label in found.items() if Path(p).exists()}


def edit_form(candidates: dict[str, str], name: str) -> tuple[bytes, bytes | None, str, bool] | None:
    """Pick an image and a mask, write the edit prompt. Returns (image, mask, prompt, submitted), with mask
    None when an uploaded mask is missing; None when there is nothing to edit yet."""
    if not candidates:
        st.info("Make an image first (Create tab), or choose a profile to edit images from your history.",
                icon=":material/info:")
        return None
    if st.session_state.get(keys.STUDIO_EDIT_SOURCE) not in candidates:
        st.session_state.pop(keys.STUDIO_EDIT_SOURCE, None)
    source = st.selectbox("Image to edit", list(candidates), format_func=candidates.get, key=keys.STUDIO_EDIT_SOURCE)
    data = read_file(source)
    if data is None:
        return None
    with Image.open(io.BytesIO(data)) as im:
        size = im.size
    area = st.radio("Area to change", [*REGIONS, UPLOAD_MASK], horizontal=True, key="studio_edit_area",
                    help="The marked area is re-imagined from your prompt; the rest of the picture is kept.")
    mask: bytes | None
    if area == UPLOAD_MASK:
        upload = st.file_uploader("Mask (PNG): its transparent pixels mark the area to change", type=["png"],
                                  key="studio_edit_mask", help=f"Same size as the image: {size[0]}x{size[1]}.")
        mask = upload.getvalue() if upload is not None else None
    else:
        mask = region_mask(size, area)
    before, with_mask = st.columns(2)
    with before:
        pixels = display_copy(data)
        if pixels is not None:
            st.image(pixels, width=DISPLAY_PX, output_format="PNG", caption="The image to edit",
                     alt=f"The image to edit: {candidates[source]}")
    with with_mask:
        shown = marked(data, mask) if mask is not None else None
        if shown is not None:
            st.image(shown, width=DISPLAY_PX, output_format="PNG", caption="The area to change, in magenta",
                     alt=f"The image to edit with the area to change ({area}) painted magenta")
    default = "a large yellow star" if name == "local" else "Add a small green plant in a pot"
    with st.form("studio_edit_form"):
        prompt = st.text_input("What should the marked area show?", default, max_chars=1000, key="studio_edit_prompt")
        submitted = st.form_submit_button("Make the edit", type="primary", icon=":material/auto_fix_high:")
    return data, mask, prompt, submitted


def mask_refusals(data: bytes, mask: bytes, name: str, model: str) -> list[str]:
    """What is wrong with an uploaded mask (PNG, same size, transparent pixels), before anything is sent."""
    return validate(ImageRequest("mask check", images=[data], mask=mask), name, model, "edit")


