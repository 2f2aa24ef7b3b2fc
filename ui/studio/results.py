"""A run on the page: its images (display copies), cost, timings, and any error with its raw answer."""

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st

from genlab.backends import BackendError
from genlab.backends.errors import seconds
from genlab.backends.prices import dollars
from genlab.backends.types import EXTENSIONS
from genlab.diffusion.display import upscale
from genlab.provenance import ProvenanceSummary, inspect
from genlab.studio import SERVICE, Run
from ui import images, keys, state
from ui.provenance_card import STUDIO_IMAGE, VIEWER_PAGE, escape, verdict_badge

#: Content Credentials verdicts in a word or two, for a badge under a grid image.
SHORT_VERDICTS = {"trusted": "trusted", "valid_untrusted": "valid", "invalid": "invalid", "none": "none",
                  "unreadable": "unreadable"}
DISPLAY_PX = 256  # display size of a small (local) image; the file keeps its own size
GRID_PX = 512  # display copies in the results grid, shrunk by the browser to the column's width
THUMB_PX = 96

def display_copy(data: bytes, size: int = DISPLAY_PX, method: str = "nearest") -> np.ndarray | None:
    """Pixels to show: a small (local) image enlarged with ``method``, a large one shrunk to ``size``.
    The file itself is never changed; this is a copy for the screen, from the shared bomb-checked decoder."""
    shown = images.decode(data, max_side=size)
    if shown is None:  # an unreadable file simply has no picture
        return None
    if shown.width == shown.height and shown.width < size:
        return upscale(np.asarray(shown), size, method)
    return np.asarray(shown)


def alt_text(prompt: str, index: int, count: int) -> str:
    which = f" (image {index} of {count})" if count > 1 else ""
    if not prompt.strip():
        return f"AI-generated image for an empty prompt, an unconditional sample{which}"
    return f"AI-generated image for the prompt: {prompt}{which}"


@st.cache_data(max_entries=256, show_spinner=False)
def _summary(path: str, mtime_ns: int, data_dir: Path, trust_file: Path | None) -> ProvenanceSummary:
    return inspect(Path(path).read_bytes(), data_dir=data_dir, trust_anchors_file=trust_file)


def read_file(path: str) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except OSError:
        return None


def choose_for_edit(path: str, where: str) -> None:
    st.session_state[keys.STUDIO_EDIT_SOURCE] = path
    st.session_state[keys.STUDIO_EDIT_HINT] = where


def edit_hint(where: str) -> None:
    """Confirm, next to the button that was pressed, that an image was chosen for the Edit tab."""
    if st.session_state.get(keys.STUDIO_EDIT_HINT) == where:
        del st.session_state[keys.STUDIO_EDIT_HINT]
        st.success("Image chosen for editing: open the **Edit** tab above.", icon=":material/edit:")


def image_card(path: str, mime: str, prompt: str, index: int, count: int, key: str, method: str) -> None:
    """One result: the picture (display copy), download of the original file, its Content Credentials."""
    data = read_file(path)
    pixels = display_copy(data, GRID_PX, method) if data is not None else None
    if pixels is None:
        st.warning("This image file is no longer there (it was deleted or the visit ended).",
                   icon=":material/hide_image:")
        return
    # "stretch": the grid's column decides the width, so neighbours never overlap; the display copy is
    # larger than any column, so the browser only ever shrinks it and the model's pixels stay crisp.
    st.image(pixels, width="stretch", output_format="PNG", alt=alt_text(prompt, index, count),
             caption=f"Image {index} of {count}")
    kind = EXTENSIONS.get(mime, "file").upper()
    st.download_button(f"Download image {index}", data=lambda: Path(path).read_bytes(),
                       file_name=Path(path).name, mime=mime, key=f"{key}_dl_{index}", on_click="ignore",
                       icon=":material/download:",
                       help=f"The original {kind} file, byte for byte, with its Content Credentials.")
    config = state.settings()
    file = Path(path)
    summary = _summary(path, file.stat().st_mtime_ns, config.data_dir, config.trust_anchors_file)
    # The card's badge, in words short enough for a grid column; the full verdict follows when it says more.
    st.markdown(verdict_badge(summary.verdict, f"Content Credentials: {SHORT_VERDICTS.get(summary.verdict, '?')}"))
    if summary.verdict != "trusted":
        st.caption(escape(summary.verdict_text))
    if st.button("Inspect the credentials", key=f"{key}_inspect_{index}", icon=":material/arrow_forward:",
                 help="Open this image in the Content Credentials viewer to see who made it, with which model, "
                      "and what was changed."):
        st.session_state[keys.VIEWER_IMAGE] = {"path": path, "label": alt_text(prompt, index, count)}
        st.session_state[keys.VIEWER_SOURCE] = STUDIO_IMAGE
        st.switch_page(VIEWER_PAGE)
    st.button("Edit this image", key=f"{key}_edit_{index}", icon=":material/edit:", on_click=choose_for_edit,
              args=(path, key))


def timings_text(timings: dict[str, float]) -> str:
    names = {"total": "total", "network": "waiting for the service", "first_partial": "first preview",
             "model": "model", "sign": "signing"}
    return ", ".join(f"{label} {timings[k]:.2f} s" for k, label in names.items() if k in timings)


#: Counted parameters, as the noun that follows the number.
COUNTED = {"n": "image", "partial_images": "preview", "input_images": "input image"}


def parameters_text(parameters: dict[str, Any]) -> str:
    """"size 64x64, 3 images, steps 20": the settings of a request, in words (the seed is shown apart)."""
    words = []
    for key, value in parameters.items():
        if key == "partial_images" and not value:
            continue
        if key in COUNTED:
            words.append(f"{value} {COUNTED[key]}{'' if value == 1 else 's'}")
        elif key not in ("operation", "seed", "mask"):
            words.append(f"{key.replace('_', ' ').replace('output ', '')} {value}")
    return ", ".join(words)


def words(text: object) -> str:
    """Text (ours or a service's) as Markdown that shows exactly those characters, with nothing invisible
    added, so a learner who copies a sentence copies what they read."""
    return escape(text)


def show_error(error: BackendError) -> None:
    """The sentence, the facts behind it (filter categories, the wait), and the scrubbed raw answer."""
    st.error(words(error.message), icon=":material/block:" if error.kind == "content_filter" else ":material/error:")
    if error.kind == "content_filter":
        results = error.details.get("content_filter_results") or {}
        if results:
            rows = [{"Category": c.replace("_", "-"),
                     "Severity": str(v.get("severity") or ("detected" if v.get("detected") else "not detected")),
                     "Blocked": "yes" if v.get("filtered") else "no"}
                    for c, v in results.items() if isinstance(v, dict)]
        else:
            rows = [{"Category": c.replace("_", "-"), "Severity": s or "not given", "Blocked": "yes"}
                    for c, s in (error.details.get("categories") or {}).items()]
        if rows:
            st.markdown(f"**What the filter reported** (stage: {words(error.details.get('stage', 'prompt'))})")
            st.table(pd.DataFrame(rows).set_index("Category"))
    if error.retry_after_s is not None:
        st.markdown(f"**Wait:** about {seconds(round(error.retry_after_s))} before the next request.")
    for refusal in error.details.get("refusals", [])[1:]:  # the first is in the message already
        st.caption(words(refusal))
    with st.expander("Raw answer", icon=":material/data_object:"):
        if error.raw is None:
            st.markdown("There is no raw answer: nothing came back from the service (or nothing was sent).")
        elif isinstance(error.raw, dict | list):
            # Plain text, not st.json: its null and number badges fall short of AA contrast in the light theme.
            st.code(json.dumps(error.raw, indent=2, ensure_ascii=True), language=None, wrap_lines=True)
        else:
            st.code(str(error.raw), language=None, wrap_lines=True)
        st.caption(f"Kind: {error.kind}" + (f", HTTP status {error.status}" if error.status else "")
                   + ". Keys and tokens are removed before anything is shown.")


BILLED = {"yes": "yes", "maybe": "maybe: the request reached the service, which reported no usage",
          "no": "no"}


def partial_grid(run: Run, method: str) -> None:
    """Previews that arrived before the final image did not: shown, and labelled as partial."""
    count = len(run.partial_paths)
    st.markdown(f"**Partial image{'s' if count != 1 else ''}** (rough preview{'s' if count != 1 else ''}, not "
                "the finished picture; not saved to your history)")
    cells = st.columns(min(3, count))
    for i, path in enumerate(run.partial_paths, start=1):
        data = read_file(path)
        pixels = display_copy(data, GRID_PX, method) if data is not None else None
        if pixels is not None:
            with cells[(i - 1) % len(cells)]:
                st.image(pixels, width="stretch", output_format="PNG", caption=f"Partial image {i} of {count}",
                         alt=f"Partial image {i} of {count}, a rough preview that never became the finished "
                             f"picture, for the prompt: {run.prompt}")


def show_run(run: Run, key: str, method: str = "nearest", columns: int = 3) -> None:
    """A run's images in a grid, then what it cost, how long it took and what the service said."""
    if run.error is not None:
        show_error(run.error)
        if run.partial_paths:
            partial_grid(run, method)
        facts = [f"Time: {timings_text(run.timings)}."] if run.timings else []
        if run.backend != "local":
            facts.append(f"Billed: {BILLED.get(run.billed, run.billed)}. Counted against your budget: "
                         f"{dollars(run.charged_usd)}.")
        if run.requests > 1:
            facts.append(f"Requests sent: {run.requests}.")
        if run.request_id:
            facts.append(f"Request id: {words(run.request_id)}.")
        st.caption(" ".join(["Your prompt and settings are kept: change them and press the button again.",
                             *facts]))
        return
    for note in run.notes:
        st.info(words(note), icon=":material/info:")
    count = len(run.paths)
    for start in range(0, count, columns):
        cells = st.columns(columns)
        for offset, path in enumerate(run.paths[start:start + columns]):
            with cells[offset]:
                image_card(path, run.mime, run.prompt, start + offset + 1, count, key, method)
    facts = [f"**Cost:** {words(run.cost_label or 'not reported')}"]
    if run.backend != "local" and run.estimate_label:
        facts.append(f"**Estimated before sending:** {words(run.estimate_label)}")
    facts.append(f"**Made by:** {escape(run.model)} ({SERVICE[run.backend]})")
    if run.seed is not None:
        facts.append(f"**Seed:** {run.seed} (type it into Seed to make the same image again)")
    facts.append(f"**Settings:** {parameters_text(run.parameters)}")
    if run.timings:
        facts.append(f"**Time:** {timings_text(run.timings)}")
    if run.request_id:
        facts.append(f"**Request id:** {words(run.request_id)} (quote it when you ask for support)")
    if run.revised_prompt:
        facts.append(f"**Revised prompt:** {escape(run.revised_prompt)}")
    facts.append("**Saved:** in your history" if run.generation_id else
                 "**Saved:** no, for this visit only (choose a profile to keep images)")
    st.markdown("  \n".join(facts))
