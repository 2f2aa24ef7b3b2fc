"""The Edit tab: pick an image, mark the area to change (paint it, a region, or an uploaded mask), choose
the edit's own settings, and write the prompt.

Which pixels a mask changes is :mod:`genlab.backends.masks`'s rule; this module only draws the choices
and shows the area that rule reads from the mask.
"""

import io
from dataclasses import dataclass
from hashlib import sha256
from pathlib import Path

import numpy as np
import streamlit as st
from PIL import Image

from genlab.backends import ImageRequest
from genlab.backends.gallery import SavedGeneration
from genlab.backends.limits import ModelLimits, validate
from genlab.backends.masks import REGIONS, mask_area, mask_png, painted_area, region_area
from genlab.studio import Run
from ui import keys
from ui.studio.results import DISPLAY_PX, display_copy, read_file

PAINT = "paint it"
UPLOAD_MASK = "upload a PNG mask"
AREAS = (PAINT, *REGIONS, UPLOAD_MASK)
#: The brush, in pixels of the enlarged picture on the page (an eighth of the side of the picture, whatever its size).
BRUSH_PX = DISPLAY_PX // 8
PAINT_COLOUR = "rgba(255, 0, 255, 0.55)"  # magenta, like the overlay, with the picture showing through


@dataclass(frozen=True)
class EditForm:
    """What the Edit tab's form gives the page: the image, the mask (None until one is marked), the prompt,
    the edit's own settings as a request without images, and whether "Make the edit" was pressed."""

    image: bytes
    mask: bytes | None
    prompt: str
    settings: ImageRequest
    submitted: bool
    missing_mask: str


def _short(prompt: str) -> str:
    return prompt[:60] + ("…" if len(prompt) > 60 else "") if prompt.strip() else "(empty prompt)"


def edit_candidates(slots: dict[str, Run | None], history: list[SavedGeneration]) -> dict[str, str]:
    """path -> label of every image that can be edited: this visit's results (``slots`` names each tab's
    run, e.g. "Create" or "Compare B"), then the learner's history. Each label names one image: where two
    would read the same, the file's name is added, so the box always shows the image that is picked."""
    found: dict[str, str] = {}
    for where, run in slots.items():
        if run is None:
            continue
        saved = f" #{run.generation_id}" if run.generation_id else ""
        for i, path in enumerate(run.paths, start=1):
            count = f", image {i} of {len(run.paths)}" if len(run.paths) > 1 else ""
            found.setdefault(path, f"{where}{saved}{count}: {_short(run.prompt)}")
    for item in history:
        for i, path in enumerate(item.paths, start=1):
            count = f", image {i} of {len(item.paths)}" if len(item.paths) > 1 else ""
            found.setdefault(str(path), f"History #{item.id}{count}: {_short(item.prompt)}")
    labels: dict[str, str] = {}
    seen: set[str] = set()
    for path, label in found.items():
        if not Path(path).exists():
            continue
        if label in seen:
            label = f"{label} ({Path(path).name})"
        seen.add(label)
        labels[path] = label
    return labels


def marked(data: bytes, mask: bytes) -> np.ndarray | None:
    """The image with the area the mask changes painted magenta, for display."""
    try:
        with Image.open(io.BytesIO(data)) as im:
            picture = im.convert("RGB")
    except Exception:  # an unreadable image: validation says why
        return None
    area = mask_area(mask)
    if area is None or area.shape != (picture.height, picture.width):
        return None
    picture.paste((255, 0, 255), mask=Image.fromarray(area.astype(np.uint8) * 255, "L"))
    buffer = io.BytesIO()
    picture.save(buffer, format="PNG")
    return display_copy(buffer.getvalue())


def _canvas_size(size: tuple[int, int]) -> tuple[int, int]:
    """The painting canvas: the picture's shape, DISPLAY_PX on its longer side."""
    w, h = size
    scale = DISPLAY_PX / max(w, h)
    return max(1, round(w * scale)), max(1, round(h * scale))


def paint_mask(data: bytes, size: tuple[int, int], source: str) -> bytes | None:
    """A canvas over the picture to paint the area to change; the mask it makes, or None before any paint."""
    from streamlit_drawable_canvas import st_canvas  # loaded only when the Edit tab paints

    width, height = _canvas_size(size)
    shown = display_copy(data, DISPLAY_PX)
    background = Image.fromarray(shown).resize((width, height), Image.Resampling.NEAREST) if shown is not None \
        else None
    st.markdown("**Paint the area to change**")
    st.space("medium")  # room for the canvas's toolbar, which appears above the picture
    # One canvas per image: choosing another image starts a clean painting.
    key = f"{keys.STUDIO_EDIT_PAINT_PREFIX}{sha256(source.encode()).hexdigest()[:12]}"
    result = st_canvas(stroke_width=BRUSH_PX, stroke_color=PAINT_COLOUR, background_image=background,
                       width=width, height=height, drawing_mode="freedraw", return_image_data=True, key=key)
    st.caption("Drag over the picture to paint. The toolbar above it (shown while the pointer is over the "
               "picture) undoes a stroke or clears the painting.")
    strokes = result.image_data
    if strokes is None:
        return None
    area = painted_area(strokes, size)
    if not area.any():
        return None
    return mask_png(area)


def area_caption(mask: bytes | None, size: tuple[int, int]) -> None:
    """How much of the picture the mask marks, in its own pixels, read with the engine's rule."""
    area = mask_area(mask) if mask is not None else None
    if area is None:
        return
    marked_px, total = int(area.sum()), size[0] * size[1]
    st.caption(f"Marked: {marked_px} of the picture's {total} pixels ({marked_px / total:.0%}).")


def edit_settings(name: str, lim: ModelLimits) -> ImageRequest:
    """The edit's own settings (never the Create tab's): on the local model seed, steps and guidance; on a
    service size and quality. Returned as a request without a prompt or images."""
    if lim.local_controls:
        c1, c2, c3 = st.columns(3)
        steps = c1.number_input("Steps", *lim.steps_range, 20, key="studio_edit_steps",
                                help="Denoising steps for the edit: more is slower and usually cleaner.")
        guidance = c2.number_input("Guidance scale", *lim.guidance_range, 3.0, 0.5, format="%.1f",
                                   key="studio_edit_guidance", help="How hard the edit follows the prompt.")
        seed = c3.number_input("Seed", 0, 2**32 - 1, value=None, placeholder="random", key="studio_edit_seed",
                               help="The starting noise of the marked area. Leave empty for a random one.")
        return ImageRequest("", size=lim.sizes[0], n=1, seed=None if seed is None else int(seed), steps=int(steps),
                            guidance=float(guidance))
    c1, c2 = st.columns(2)
    size = c1.selectbox("Size", lim.sizes, key="studio_edit_size")
    quality = c2.selectbox("Quality", lim.qualities, index=lim.qualities.index("low"), key="studio_edit_quality",
                           help="Low is cheapest and fine for learning.")
    return ImageRequest("", size=size, quality=quality, n=1)


def edit_form(candidates: dict[str, str], name: str, lim: ModelLimits) -> EditForm | None:
    """Pick an image, mark the area, choose the edit's settings and write the prompt; None when there is
    nothing to edit yet."""
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
    area = st.radio("Area to change", AREAS, horizontal=True, key=keys.STUDIO_EDIT_AREA,
                    help="The marked area is re-imagined from your prompt; the rest of the picture is kept.")
    mask: bytes | None
    before, with_mask = st.columns(2)
    with before:
        if area == PAINT:
            mask = paint_mask(data, size, source)
            missing = "Paint the area to change on the picture first."
        else:
            pixels = display_copy(data)
            if pixels is not None:
                st.image(pixels, width=DISPLAY_PX, output_format="PNG", caption="The image to edit",
                         alt=f"The image to edit: {candidates[source]}")
            if area == UPLOAD_MASK:
                upload = st.file_uploader("Mask (PNG): its transparent pixels mark the area to change",
                                          type=["png"], key="studio_edit_mask",
                                          help=f"Same size as the image: {size[0]}x{size[1]}.")
                mask = upload.getvalue() if upload is not None else None
                missing = ("Upload a mask first: a PNG the size of the image whose transparent pixels mark the "
                           "area to change.")
            else:
                mask, missing = mask_png(region_area(size, area)), ""
    with with_mask:
        shown = marked(data, mask) if mask is not None else None
        if shown is not None:
            st.image(shown, width=DISPLAY_PX, output_format="PNG", caption="The area to change, in magenta",
                     alt=f"The image to edit with the area to change ({area}) painted magenta")
            area_caption(mask, size)
        elif area == PAINT:
            st.caption("The area you paint appears here in magenta, pixel by pixel, as the model will read it.")
    default = "a large yellow star" if name == "local" else "Add a small green plant in a pot"
    with st.form("studio_edit_form"):
        prompt = st.text_input("What should the marked area show?", default, max_chars=1000, key="studio_edit_prompt")
        settings = edit_settings(name, lim)
        submitted = st.form_submit_button("Make the edit", type="primary", icon=":material/auto_fix_high:")
    return EditForm(data, mask, prompt, settings, submitted, missing)


def mask_refusals(data: bytes, mask: bytes, name: str, model: str) -> list[str]:
    """What is wrong with an uploaded mask (PNG, same size, transparent pixels), before anything is sent."""
    return validate(ImageRequest("mask check", images=[data], mask=mask), name, model, "edit")
