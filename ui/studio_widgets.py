"""The generation studio's widgets: backend banner, settings, progress, results, errors, edit, compare, history.

The page (``app_pages/studio.py``) only arranges these. Everything that decides (limits, prices, errors,
code samples, the gallery) is in ``genlab.backends``; this module reads widgets and draws what comes back.

Image bytes never sit in ``st.session_state``: a run keeps only file paths. With a profile the gallery
writes the files (``<data_dir>/images/<learner>/``); without one they go to a per-visit scratch folder
(``<data_dir>/scratch/<visit>/``), removed after a day, and are not listed in any history.
"""

import io
import json
import os
import queue
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from hashlib import sha256
from pathlib import Path
from time import perf_counter
from typing import Any

import numpy as np
import pandas as pd
import streamlit as st
from PIL import Image

from genlab.backends import (
    Availability,
    Backend,
    BackendError,
    BackendUnavailable,
    ImageRequest,
    ImageResult,
    PartialCallback,
    get_backend,
)
from genlab.backends.code import code_samples
from genlab.backends.errors import seconds
from genlab.backends.gallery import PAID_BACKENDS, Gallery, SavedGeneration
from genlab.backends.limits import ModelLimits, validate
from genlab.backends.prices import FALLBACK_MODEL, PER_IMAGE, PRICES_AS_OF, SIZE_INDEX, dollars, estimate, resolve_model
from genlab.backends.types import EXTENSIONS
from genlab.diffusion.display import upscale
from genlab.provenance import ProvenanceSummary, inspect
from genlab.settings import Settings
from genlab.toyworld import BACKGROUNDS, COLOURS, SHAPES
from ui import state
from ui.provenance_card import VIEWER_PAGE, escape, verdict_badge

LABELS = {"local": "Local model (free, offline)", "azure": "Azure OpenAI", "openai": "OpenAI"}
SERVICE = {"local": "the local model", "azure": "Azure OpenAI", "openai": "OpenAI"}

#: The use cases of the AI-901 module (shared/seeds), as prompts for GPT image models.
SERVICE_EXAMPLES: dict[str, str] = {
    "Marketing": "Professional product photo of a smartwatch on a white background",
    "Concept art": "Futuristic city skyline at sunset, cyberpunk style",
    "Education": "Diagram showing how a solar panel converts sunlight to electricity",
    "Prototyping": "Mobile app mockup for a fitness tracker, dark mode, minimal design",
    "GreenLeaf report": "Friendly flat illustration for GreenLeaf's sustainability report: a farm with cover "
                        "crops, hedgerows and a solar-powered irrigation pump",
}
#: Prompts in the local model's toy world (shapes, colours, sizes, positions, backgrounds).
TOY_EXAMPLES: dict[str, str] = {
    "One shape, placed": "a large red circle on the left on a white background",
    "Small, at the top": "a small blue star at the top on a black background",
    "Two of a kind": "two green triangles",
    "One above another": "a yellow heart above a purple square",
    "Marketing prompt (see the unknown words)": SERVICE_EXAMPLES["Marketing"],
}

#: Content Credentials verdicts in a word or two, for a badge under a grid image.
SHORT_VERDICTS = {"trusted": "trusted", "valid_untrusted": "valid", "invalid": "invalid", "none": "none",
                  "unreadable": "unreadable"}

REGIONS = ("left half", "right half", "top half", "bottom half", "centre")
UPLOAD_MASK = "upload a PNG mask"
DISPLAY_PX = 256  # display size of a small (local) image; the file keeps its own size
GRID_PX = 512  # display copies in the results grid, shrunk by the browser to the column's width
THUMB_PX = 96
SCRATCH_DAYS = 1
HISTORY_LIMIT = 20
#: The prompt boxes' limit whatever the backend (the services' 32,000): a widget whose parameters change is a
#: new widget and loses what was typed, so the local model's shorter limit is checked by validation instead.
MAX_PROMPT_CHARS = 32_000


# --- configuration -----------------------------------------------------------------------------------


def request_options() -> tuple[float | None, int | None]:
    """Timeout and retries for remote calls, from ``GENLAB_REQUEST_TIMEOUT_S`` and ``GENLAB_REQUEST_MAX_RETRIES``
    (None: the engine's defaults). Instructors lower them for a class; tests lower them to stay quick."""
    def number(var: str, kind: type) -> Any:
        value = os.environ.get(var, "").strip()
        if not value:
            return None
        try:
            parsed = kind(value)
        except ValueError:
            st.warning(f"{var} must be a number, so it is ignored; the default is used.", icon=":material/settings:")
            return None
        return parsed if parsed >= 0 else None

    return number("GENLAB_REQUEST_TIMEOUT_S", float), number("GENLAB_REQUEST_MAX_RETRIES", int)


def _fingerprint(settings: Settings) -> str:
    """A cache key that changes with any backend setting, secrets included (only their hash is kept)."""
    secrets = [s.get_secret_value() if s else "" for s in (settings.azure_api_key, settings.openai_api_key)]
    parts = [settings.azure_endpoint, settings.azure_deployment, settings.azure_api_version,
             settings.azure_use_entra_id, settings.openai_base_url, settings.openai_model, settings.sign_prompt,
             str(settings.data_dir), *secrets]
    return sha256(repr(parts).encode()).hexdigest()


@st.cache_resource(show_spinner=False, max_entries=8)
def _cached_backend(name: str, key: str, timeout_s: float | None, max_retries: int | None,
                    _settings: Settings) -> Backend:
    return get_backend(name, _settings, timeout_s=timeout_s, max_retries=max_retries)


def backend(name: str, settings: Settings) -> Backend | None:
    """The backend ``name``, built once per process and configuration; None after saying why it cannot be."""
    timeout_s, max_retries = request_options()
    try:
        return _cached_backend(name, _fingerprint(settings), timeout_s, max_retries, settings)
    except (BackendUnavailable, ValueError) as exc:
        st.error(str(exc), icon=":material/error:")
        return None


# --- banner and backend choice -------------------------------------------------------------------------


def choose_backend(available: dict[str, Availability]) -> str:
    """The backend selector: the usable ones, local first (the default)."""
    usable = [name for name, a in available.items() if a.ok]
    if not usable:
        return "local"
    return st.radio("Image backend", usable, format_func=LABELS.get, horizontal=True, key="studio_backend",
                    help="The local model is free and runs here; the services need a key and cost money.")


HOW_TO_ADD_A_KEY = (
    "**How to add a key.** For Azure OpenAI, set `AZURE_OPENAI_ENDPOINT`, `AZURE_OPENAI_DEPLOYMENT` and "
    "`AZURE_OPENAI_API_KEY` (or `AZURE_OPENAI_USE_ENTRA_ID=true` to sign in with Microsoft Entra ID); for "
    "OpenAI, set `OPENAI_API_KEY`. Put them in the environment or in `.streamlit/secrets.toml`, then restart "
    "the app. The key stays on the server: no page shows it.")


def banner(available: dict[str, Availability], chosen: str) -> None:
    """Which backend is active, why, and how to add the others."""
    remote = [n for n in ("azure", "openai") if available[n].ok]
    if chosen == "local" and not remote:
        st.info("**Active backend: the local model.** No Azure OpenAI or OpenAI key was found, so images come "
                "from the small model that ships with this app: free, on your CPU, 32x32 pictures of coloured "
                f"shapes.\n\n{HOW_TO_ADD_A_KEY}", icon=":material/computer:")
        return
    if chosen == "local":
        others = " ".join(available[n].reason for n in remote)
        names = " or ".join(SERVICE[n] for n in remote)
        st.info(f"**Active backend: the local model** (your choice). {available['local'].reason} {others} "
                f"Choose {names} above to make real images (they cost money).", icon=":material/computer:")
        return
    missing = [available[n].reason for n in ("azure", "openai") if not available[n].ok]
    st.success(f"**Active backend: {SERVICE[chosen]}.** {available[chosen].reason} Each image is a paid "
               "request: the cost is estimated before you send and reported after."
               + (" " + " ".join(missing) if missing else ""), icon=":material/cloud:")


# --- settings -------------------------------------------------------------------------------------------


def toy_vocabulary() -> str:
    return ("The local model only knows a toy world: shapes (" + ", ".join(SHAPES) + "), colours ("
            + ", ".join(COLOURS) + "), small or large, left, right, top, bottom or centre, a "
            + ", ".join(BACKGROUNDS) + " background, \"two …\" and \"… above …\". Other words are reported "
            "as unknown and ignored.")


def settings_controls(name: str, lim: ModelLimits) -> ImageRequest:
    """The size, quality, count and format controls this backend and model accept (or the local model's
    seed, steps and guidance), as a request without a prompt. Keys are per backend, so switching
    backends keeps each one's settings."""
    k = f"studio_{name}_"
    if lim.local_controls:
        c1, c2 = st.columns(2)
        n = c1.number_input("Number of images", 1, lim.n_max, 1, key=k + "n")
        seed = c2.number_input("Seed", 0, 2**32 - 1, value=None, placeholder="random", key=k + "seed",
                               help="The starting noise. Leave empty for a random one; the result says which "
                                    "seed was used, so you can repeat an image exactly.")
        # Number boxes rather than sliders: a slider's value is drawn in the theme's primary colour, which
        # cannot reach AA contrast on the dark background and under white button text at once.
        c3, c4 = st.columns(2)
        steps = c3.number_input("Steps", *lim.steps_range, 20, key=k + "steps",
                                help="How many denoising steps: more is slower and usually cleaner.")
        guidance = c4.number_input("Guidance scale", *lim.guidance_range, 3.0, 0.5, format="%.1f",
                                   key=k + "guidance", help="How hard the model follows the prompt (0 ignores it).")
        previews = st.checkbox("Show rough previews while drawing", True, key=k + "previews",
                               help="The model's guess of the finished picture at a quarter, half and three "
                                    "quarters of the steps (the API calls these partial images).")
        return ImageRequest("", size=lim.sizes[0], n=int(n), seed=None if seed is None else int(seed),
                            steps=int(steps), guidance=float(guidance), partial_images=3 if previews else 0)
    c1, c2 = st.columns(2)
    size = c1.selectbox("Size", lim.sizes, key=k + "size")
    quality = c2.selectbox("Quality", lim.qualities, index=lim.qualities.index("low"), key=k + "quality",
                           help=f"Low is cheapest and fine for learning; {SERVICE[name]}'s default is "
                                f"{lim.default_quality}.")
    c3, c4 = st.columns(2)
    n = c3.number_input("Number of images", 1, lim.n_max, 1, key=k + "n")
    fmt = c4.selectbox("Format", lim.formats, key=k + "format",
                       help="Azure OpenAI has no WEBP output." if name == "azure" else None)
    background = st.selectbox("Background", ("auto", "opaque", "transparent"), key=k + "background",
                              help="Transparent needs PNG (or WEBP on OpenAI).")
    partial = st.selectbox("Partial previews while the image is made (streaming)", [0, 1, 2, 3], key=k + "partial",
                           format_func=lambda v: "none: wait for the finished image" if v == 0 else str(v),
                           help="Rough previews streamed while the image is made. They may add a little to the "
                                "cost (output tokens).")
    return ImageRequest("", size=size, quality=quality, n=int(n), output_format=None if fmt == "png" else fmt,
                        background=None if background == "auto" else background, partial_images=int(partial))


def _fill_prompt(examples: dict[str, str]) -> None:
    choice = st.session_state.get("studio_example")
    if choice in examples:
        st.session_state["studio_prompt"] = examples[choice]


def example_picker(name: str) -> None:
    """Example prompts from the module's use cases; for the local model, toy-world ones first."""
    examples = TOY_EXAMPLES if name == "local" else SERVICE_EXAMPLES
    st.session_state.setdefault("studio_prompt", next(iter(examples.values())))
    st.selectbox("Start from an example", list(examples), index=None, key="studio_example",
                 placeholder="Choose an example to fill the prompt box", on_change=_fill_prompt, args=(examples,),
                 format_func=lambda label: f"{label}: {examples[label]}")
    if name == "local":
        st.caption(toy_vocabulary())


def price_table(model: str) -> None:
    """The per-image list prices the estimate uses, so a learner can see what quality and size cost."""
    row = PER_IMAGE[resolve_model(model) or FALLBACK_MODEL]
    frame = pd.DataFrame({"Quality": list(row)} | {size: [dollars(p[i]) for p in row.values()]
                                                     for size, i in SIZE_INDEX.items()})
    st.table(frame.set_index("Quality"))
    st.caption(f"US dollars per image, OpenAI list prices gathered {PRICES_AS_OF}; Azure may differ. The prompt "
               "adds a little (text tokens), and edits also pay for their input images.")


def estimate_line(request: ImageRequest, name: str, model: str) -> None:
    label = estimate(request, model, name).label
    st.markdown(f"**Cost before you press Generate:** {label}")
    if name in PAID_BACKENDS:
        with st.expander("Price table", icon=":material/payments:"):
            price_table(model)


def budget_line(name: str, gallery: Gallery | None) -> None:
    """Today's spending on paid images (with a profile) and the learner's budget."""
    learner = state.current_learner()
    if name not in PAID_BACKENDS:
        return
    config = state.settings()
    if learner is not None and gallery is not None:
        spent = gallery.spent_today(learner.id, datetime.now(UTC))
    else:
        spent = float(st.session_state.get("studio_spent", 0.0))
    st.caption(f"Spent today on paid images: {dollars(spent)} of the {dollars(config.daily_budget_usd)} daily "
               "budget per learner.")


def profile_note(learner: state.CurrentLearner | None) -> None:
    if learner is None:
        st.caption(":material/info: You have no profile, so images are **not saved**: they stay for this visit "
                   "only. Choose a profile in the sidebar (**Your profile**) to keep them in your history.")


# --- guards, calls and progress ---------------------------------------------------------------------------


def guard(name: str, request: ImageRequest, model: str, gallery: Gallery | None) -> BackendError | None:
    """The per-learner rate limit and daily budget. Without a profile, the same limits are kept per visit."""
    cost = estimate(request, model, name)
    learner = state.current_learner()
    if learner is not None and gallery is not None:
        return gallery.check(learner.id, name, cost)
    config = state.settings()
    now = time.time()
    recent = [t for t in st.session_state.get("studio_times", []) if now - t < 60]
    if len(recent) >= config.rate_limit_per_minute:
        wait = max(1, int(60 - (now - recent[0])) + 1)
        return BackendError(kind="learner_rate_limit", retry_after_s=float(wait), message=(
            f"You have made {config.rate_limit_per_minute} image requests in the last minute, which is the limit "
            f"for each learner; wait {seconds(wait)} and try again."))
    spent = float(st.session_state.get("studio_spent", 0.0))
    if name in PAID_BACKENDS and spent + cost.usd > config.daily_budget_usd:
        return BackendError(kind="budget", message=(
            f"This request would cost about {dollars(cost.usd)}, and this visit has already spent "
            f"{dollars(spent)} of the {dollars(config.daily_budget_usd)} budget for paid images; use the local "
            "model, or choose a lower quality or fewer images."))
    return None


def _count(name: str, result: ImageResult) -> None:
    """Remember a sent request for the per-visit limits (only used without a profile)."""
    st.session_state["studio_times"] = [t for t in st.session_state.get("studio_times", [])
                                        if time.time() - t < 60] + [time.time()]
    if name in PAID_BACKENDS and result.cost is not None:
        st.session_state["studio_spent"] = float(st.session_state.get("studio_spent", 0.0)) + result.cost.usd


def display_copy(data: bytes, size: int = DISPLAY_PX, method: str = "nearest") -> np.ndarray | None:
    """Pixels to show: a small (local) image enlarged with ``method``, a large one shrunk to ``size``.
    The file itself is never changed; this is a copy for the screen."""
    try:
        with Image.open(io.BytesIO(data)) as im:
            alpha = "A" in im.getbands() or "transparency" in im.info
            shown = im.convert("RGBA" if alpha else "RGB")
    except Exception:  # an unreadable file simply has no picture
        return None
    if shown.width == shown.height and shown.width < size:
        return upscale(np.asarray(shown), size, method)
    shown.thumbnail((size, size))
    return np.asarray(shown)


def call_with_progress(service: str, call: Callable[[PartialCallback], ImageResult], previews: int,
                       prompt: str) -> ImageResult:
    """Run ``call`` in a worker thread while the page shows elapsed time and any partial images.

    The backend's ``on_partial`` runs in the worker, so it only queues the bytes; this (script) thread
    draws them. A service call blocks for seconds to minutes, and the elapsed time keeps ticking meanwhile.
    """
    partials: queue.Queue[tuple[int, bytes]] = queue.Queue()
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["result"] = call(lambda i, data: partials.put((i, data)))
        except BaseException as exc:  # handed to the script thread, which re-raises it
            outcome["error"] = exc

    worker = threading.Thread(target=work, name="studio-call", daemon=True)
    started = perf_counter()
    shown = 0
    # Azure's quickstart: "Image generation typically takes 10–30 seconds" (the local model: about a second).
    wait = "" if service == SERVICE["local"] else " Images usually take 10 to 30 seconds."
    with st.status(f"Asking {service}…{wait}", expanded=True) as status:
        bar = st.progress(0.0, text="Starting…")
        preview = st.empty()
        worker.start()
        while worker.is_alive() or not partials.empty():
            try:
                _, data = partials.get(timeout=0.2)
            except queue.Empty:
                pass
            else:
                shown += 1
                pixels = display_copy(data)
                if pixels is not None:
                    preview.image(pixels, width=DISPLAY_PX, output_format="PNG",
                                  caption=f"Rough preview {shown} of {previews}",
                                  alt=f"Rough preview {shown} of {previews}, still being drawn, for the prompt: "
                                      f"{prompt}")
            elapsed = perf_counter() - started
            done = shown / (previews + 1) if previews else 0.0
            words = f"preview {shown} of {previews}, " if previews else ""
            bar.progress(min(done, 1.0), text=f"Working: {words}{elapsed:.1f} s elapsed")
        worker.join()
        if "error" in outcome:
            raise outcome["error"]
        result: ImageResult = outcome["result"]
        elapsed = perf_counter() - started
        bar.progress(1.0, text=f"Finished in {elapsed:.1f} s")
        made = len(result.images)
        status.update(label=(f"Made {made} image{'s' if made != 1 else ''} with {service} in {elapsed:.1f} s"
                             if result.ok else f"{service[:1].upper()}{service[1:]} did not make an image"),
                      state="complete" if result.ok else "error", expanded=False)
    return result


@dataclass
class StudioRun:
    """One request and what came of it, small enough for session state: paths, never bytes."""

    operation: str
    backend: str
    model: str
    prompt: str
    parameters: dict[str, Any]
    paths: list[str] = field(default_factory=list)
    mime: str = "image/png"
    notes: list[str] = field(default_factory=list)
    cost_label: str | None = None
    estimate_label: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    request_id: str | None = None
    revised_prompt: str | None = None
    seed: int | None = None
    error: BackendError | None = None
    generation_id: int | None = None


def _scratch(data_dir: Path) -> Path:
    """This visit's folder for unsaved images; folders older than a day are removed on the way."""
    root = data_dir / "scratch"
    cutoff = time.time() - SCRATCH_DAYS * 86_400
    if root.exists():
        for old in root.iterdir():
            if old.is_dir() and old.stat().st_mtime < cutoff:
                shutil.rmtree(old, ignore_errors=True)
    visit = st.session_state.setdefault("studio_visit", uuid.uuid4().hex)
    folder = root / visit
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _write_scratch(images: list[bytes], mime: str) -> list[str]:
    """Unsaved images, as they came, in this visit's scratch folder."""
    if not images:
        return []
    folder = _scratch(state.settings().data_dir)
    token = uuid.uuid4().hex[:12]
    paths = []
    for i, data in enumerate(images, start=1):
        path = folder / f"{token}-{i}.{EXTENSIONS.get(mime, 'bin')}"
        path.write_bytes(data)
        paths.append(str(path))
    return paths


def keep(request: ImageRequest, result: ImageResult, operation: str, gallery: Gallery | None) -> StudioRun:
    """Save the result (the gallery with a profile, the visit's scratch folder without) and describe it."""
    learner = state.current_learner()
    saved = gallery.record(learner.id, request, result) if learner is not None and gallery is not None else None
    paths = [str(p) for p in saved.paths] if saved is not None else _write_scratch(result.images, result.mime)
    parameters = request.parameters()
    if result.seed is not None:
        parameters["seed"] = result.seed
    return StudioRun(
        operation=operation, backend=result.backend, model=result.model, prompt=request.prompt,
        parameters=parameters, paths=paths, mime=result.mime, notes=list(result.notes),
        cost_label=result.cost.label if result.cost else None,
        estimate_label=estimate(request, result.model, result.backend).label, timings=dict(result.timings),
        request_id=result.request_id, revised_prompt=result.revised_prompt, seed=result.seed, error=result.error,
        generation_id=saved.id if saved else None)


def run_request(chosen: Backend, request: ImageRequest, operation: str, gallery: Gallery | None) -> StudioRun:
    """Validate, check the limits, call with progress, and keep the result. Nothing is sent when a
    check fails: the run then carries the refusal as its error."""
    name, model = chosen.name, chosen.model
    refusals = validate(request, name, model, operation)
    error = (BackendError(kind="validation", message=" ".join(refusals), details={"refusals": refusals})
             if refusals else guard(name, request, model, gallery))
    if error is not None:
        return StudioRun(operation=operation, backend=name, model=model, prompt=request.prompt,
                         parameters=request.parameters(), error=error)
    method = chosen.edit if operation == "edit" else chosen.generate
    result = call_with_progress(SERVICE[name], lambda on_partial: method(request, on_partial),
                                request.partial_images, request.prompt)
    if state.current_learner() is None:
        _count(name, result)
    return keep(request, result, operation, gallery)


# --- results -----------------------------------------------------------------------------------------------


def alt_text(prompt: str, index: int, count: int) -> str:
    which = f" (image {index} of {count})" if count > 1 else ""
    if not prompt.strip():
        return f"AI-generated image for an empty prompt, an unconditional sample{which}"
    return f"AI-generated image for the prompt: {prompt}{which}"


@st.cache_data(max_entries=256, show_spinner=False)
def _summary(path: str, mtime_ns: int, data_dir: Path, trust_file: Path | None) -> ProvenanceSummary:
    return inspect(Path(path).read_bytes(), data_dir=data_dir, trust_anchors_file=trust_file)


def _read(path: str) -> bytes | None:
    try:
        return Path(path).read_bytes()
    except OSError:
        return None


def _choose_for_edit(path: str, where: str) -> None:
    st.session_state["studio_edit_source"] = path
    st.session_state["studio_edit_hint"] = where


def edit_hint(where: str) -> None:
    """Confirm, next to the button that was pressed, that an image was chosen for the Edit tab."""
    if st.session_state.get("studio_edit_hint") == where:
        del st.session_state["studio_edit_hint"]
        st.success("Image chosen for editing: open the **Edit** tab above.", icon=":material/edit:")


def image_card(path: str, mime: str, prompt: str, index: int, count: int, key: str, method: str) -> None:
    """One result: the picture (display copy), download of the original file, its Content Credentials."""
    data = _read(path)
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
    st.page_link(VIEWER_PAGE, label="Inspect the credentials", icon=":material/arrow_forward:",
                 help="Download the image, then open it in the Content Credentials viewer to see who made it, "
                      "with which model, and what was changed.")
    st.button("Edit this image", key=f"{key}_edit_{index}", icon=":material/edit:", on_click=_choose_for_edit,
              args=(path, key))


def _timings(timings: dict[str, float]) -> str:
    names = {"total": "total", "network": "waiting for the service", "first_partial": "first preview",
             "model": "model", "sign": "signing"}
    return ", ".join(f"{label} {timings[k]:.2f} s" for k, label in names.items() if k in timings)


#: Counted parameters, as the noun that follows the number.
COUNTED = {"n": "image", "partial_images": "preview", "input_images": "input image"}


def _parameters(parameters: dict[str, Any]) -> str:
    """"size 32x32, 3 images, steps 20": the settings of a request, in words (the seed is shown apart)."""
    words = []
    for key, value in parameters.items():
        if key == "partial_images" and not value:
            continue
        if key in COUNTED:
            words.append(f"{value} {COUNTED[key]}{'' if value == 1 else 's'}")
        elif key not in ("operation", "seed", "mask"):
            words.append(f"{key.replace('_', ' ').replace('output ', '')} {value}")
    return ", ".join(words)


def show_error(error: BackendError) -> None:
    """The sentence, the facts behind it (filter categories, the wait), and the scrubbed raw body."""
    st.error(error.message, icon=":material/block:" if error.kind == "content_filter" else ":material/error:")
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
            st.markdown(f"**What the filter reported** (stage: {error.details.get('stage', 'prompt')})")
            st.table(pd.DataFrame(rows).set_index("Category"))
    if error.retry_after_s is not None:
        st.markdown(f"**Wait:** about {seconds(round(error.retry_after_s))} before the next request.")
    for refusal in error.details.get("refusals", [])[1:]:  # the first is in the message already
        st.caption(refusal)
    with st.expander("Raw error", icon=":material/data_object:"):
        if error.raw is None:
            st.markdown("There is no raw answer: nothing came back from the service (or nothing was sent).")
        elif isinstance(error.raw, dict | list):
            # Plain text, not st.json: its null and number badges fall short of AA contrast in the light theme.
            st.code(json.dumps(error.raw, indent=2, ensure_ascii=False), language=None, wrap_lines=True)
        else:
            st.code(str(error.raw), language=None, wrap_lines=True)
        st.caption(f"Kind: {error.kind}" + (f", HTTP status {error.status}" if error.status else "")
                   + ". Keys and tokens are removed before anything is shown.")


def show_run(run: StudioRun, key: str, method: str = "nearest", columns: int = 3) -> None:
    """A run's images in a grid, then what it cost, how long it took and what the service said."""
    if run.error is not None:
        show_error(run.error)
        facts = [f"Time: {_timings(run.timings)}."] if run.timings else []
        if run.request_id:
            facts.append(f"Request id: {run.request_id}.")
        st.caption(" ".join(["Your prompt and settings are kept: change them and press the button again.",
                             *facts]))
        return
    for note in run.notes:
        st.info(note, icon=":material/info:")
    count = len(run.paths)
    for start in range(0, count, columns):
        cells = st.columns(columns)
        for offset, path in enumerate(run.paths[start:start + columns]):
            with cells[offset]:
                image_card(path, run.mime, run.prompt, start + offset + 1, count, key, method)
    facts = [f"**Cost:** {run.cost_label or 'not reported'}"]
    if run.backend != "local" and run.estimate_label:
        facts.append(f"**Estimated before sending:** {run.estimate_label}")
    facts.append(f"**Made by:** {escape(run.model)} ({SERVICE[run.backend]})")
    if run.seed is not None:
        facts.append(f"**Seed:** {run.seed} (type it into Seed to make the same image again)")
    facts.append(f"**Settings:** {_parameters(run.parameters)}")
    if run.timings:
        facts.append(f"**Time:** {_timings(run.timings)}")
    if run.request_id:
        facts.append(f"**Request id:** `{run.request_id}` (quote it when you ask for support)")
    if run.revised_prompt:
        facts.append(f"**Revised prompt:** {escape(run.revised_prompt)}")
    facts.append("**Saved:** in your history" if run.generation_id else
                 "**Saved:** no, for this visit only (choose a profile to keep images)")
    st.markdown("  \n".join(facts))


# --- view code ----------------------------------------------------------------------------------------------


def code_panel(request: ImageRequest, settings: Settings, name: str) -> None:
    """The Python and cURL that make this request, prefilled, never with the key."""
    with st.expander("View code", icon=":material/code:"):
        st.caption("Prefilled from your settings and prompt. The key is read from an environment variable, "
                   "never written here.")
        samples = code_samples(request, settings, name)
        if name == "local":
            # The same idea on Azure OpenAI: GPT image models have no seed, steps or guidance, nor a 32x32 size.
            azure_like = ImageRequest(request.prompt or "a large red circle on the left", n=request.n,
                                      images=request.images, mask=request.mask)
            samples += code_samples(azure_like, settings, "azure")
        for tab, sample in zip(st.tabs([s.title for s in samples]), samples, strict=True):
            with tab:
                st.code(sample.code, language=sample.language, wrap_lines=True)


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


def edit_candidates(runs: list[StudioRun], history: list[SavedGeneration]) -> dict[str, str]:
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
    if st.session_state.get("studio_edit_source") not in candidates:
        st.session_state.pop("studio_edit_source", None)
    source = st.selectbox("Image to edit", list(candidates), format_func=candidates.get, key="studio_edit_source")
    data = _read(source)
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


# --- compare --------------------------------------------------------------------------------------------


def compare_form(name: str, model: str, lim: ModelLimits,
                 template: ImageRequest) -> tuple[list[ImageRequest], list[str], bool]:
    """Two requests that differ in one thing (the prompt, or a setting), with the same seed on the local
    model. Returns the requests, a caption for each column, and whether the form was submitted."""
    mode = st.radio("What differs between the two", ["The prompt", "The settings"], horizontal=True,
                    key="studio_cmp_mode")
    local = lim.local_controls
    one = replace(template, n=1)
    with st.form("studio_compare_form"):
        a, b = st.columns(2)
        if mode == "The prompt":
            defaults = (("a large green triangle in the centre", "a large green heart in the centre") if local else
                        (SERVICE_EXAMPLES["Concept art"], "Futuristic city skyline at sunset, watercolour style"))
            pa = a.text_input("Prompt A", defaults[0], max_chars=MAX_PROMPT_CHARS, key="studio_cmp_a")
            pb = b.text_input("Prompt B", defaults[1], max_chars=MAX_PROMPT_CHARS, key="studio_cmp_b")
            requests, captions = [replace(one, prompt=pa), replace(one, prompt=pb)], [f"A: {pa}", f"B: {pb}"]
        else:
            prompt = st.text_input("Prompt for both", "a small blue star at the top on a black background" if local
                                   else SERVICE_EXAMPLES["Marketing"], max_chars=MAX_PROMPT_CHARS,
                                   key="studio_cmp_prompt")
            if local:
                ga = a.number_input("Guidance A", *lim.guidance_range, 1.0, 0.5, format="%.1f", key="studio_cmp_ga")
                sa = a.number_input("Steps A", *lim.steps_range, 20, key="studio_cmp_sa")
                gb = b.number_input("Guidance B", *lim.guidance_range, 7.0, 0.5, format="%.1f", key="studio_cmp_gb")
                sb = b.number_input("Steps B", *lim.steps_range, 20, key="studio_cmp_sb")
                requests = [replace(one, prompt=prompt, guidance=ga, steps=sa),
                            replace(one, prompt=prompt, guidance=gb, steps=sb)]
                captions = [f"A: guidance {ga:g}, {sa} steps", f"B: guidance {gb:g}, {sb} steps"]
            else:
                qa = a.selectbox("Quality A", lim.qualities, index=0, key="studio_cmp_qa")
                qb = b.selectbox("Quality B", lim.qualities, index=min(2, len(lim.qualities) - 1),
                                 key="studio_cmp_qb")
                requests = [replace(one, prompt=prompt, quality=qa), replace(one, prompt=prompt, quality=qb)]
                captions = [f"A: quality {qa}", f"B: quality {qb}"]
        if local:
            seed = st.number_input("Seed for both", 0, 2**32 - 1, 7, key="studio_cmp_seed",
                                   help="The same starting noise for both, so every difference comes from what "
                                        "you changed.")
            requests = [replace(r, seed=int(seed)) for r in requests]
        submitted = st.form_submit_button("Run both", type="primary", icon=":material/compare:")
    if local:
        st.caption("Both images start from the same noise (the seed), so the only difference is what you changed.")
    else:
        total = sum(estimate(r, model, name).usd for r in requests)
        st.caption(f"Both together cost about {dollars(total)} (estimate; OpenAI list prices gathered {PRICES_AS_OF}; "
                   "Azure may differ). GPT image models have no seed, so even two identical requests give "
                   "different images: compare several pairs before drawing conclusions.")
    return requests, captions, submitted


# --- history ------------------------------------------------------------------------------------------------


def _ask_delete(generation_id: int) -> None:
    st.session_state["studio_confirm_delete"] = generation_id


def _cancel_delete() -> None:
    st.session_state.pop("studio_confirm_delete", None)


def history_panel(gallery: Gallery | None) -> None:
    """The learner's saved images: prompt, settings, cost, time, request id, thumbnail, download, delete."""
    learner = state.current_learner()
    if learner is None or gallery is None:
        st.info("Your history needs a profile: choose one in the sidebar under **Your profile**. You can still "
                "make images without one, but they are not saved and are gone after this visit.",
                icon=":material/person:")
        return
    include_failed = st.toggle("Show failed requests too", key="studio_history_failed",
                               help="Failed requests are kept because they count towards the rate limit.")
    items = gallery.history(learner.id, limit=HISTORY_LIMIT, include_failed=include_failed)
    if not items:
        st.markdown("No saved images yet: make one on the Create tab.")
        return
    st.caption(f"Your {len(items)} most recent requests, newest first.")
    edit_hint("history")
    for item in items:
        with st.container(border=True):
            picture, words, actions = st.columns([1, 4, 2])
            with picture:
                data = _read(str(item.paths[0])) if item.paths else None
                pixels = display_copy(data, THUMB_PX) if data is not None else None
                if pixels is not None:
                    st.image(pixels, width=THUMB_PX, output_format="PNG", alt=alt_text(item.prompt, 1, 1))
                else:
                    st.markdown("No image")
            with words:
                when = item.created_at.strftime("%Y-%m-%d %H:%M UTC")
                seed = item.parameters.get("seed")
                lines = [f"**#{item.id}** {escape(item.prompt) or '*(empty prompt)*'}",
                         f"{escape(item.model)} ({SERVICE[item.backend]}): {escape(_parameters(item.parameters))}"
                         + (f", seed {seed}" if seed is not None else ""),
                         f"Cost: {escape(item.cost.label) if item.cost else 'none'}",
                         f"Time: {escape(_timings(item.timings))}. Made {when}."]
                if item.request_id:
                    lines.append(f"Request id: `{item.request_id}`")
                if item.error_message:
                    lines.append(f"Failed: {escape(item.error_message)}")
                st.markdown("  \n".join(lines))
            with actions:
                for i, path in enumerate(item.paths, start=1):
                    st.download_button(f"Download image {i} of #{item.id}", data=lambda p=path: Path(p).read_bytes(),
                                       file_name=Path(path).name, mime=item.mime, key=f"studio_h{item.id}_dl{i}",
                                       on_click="ignore", icon=":material/download:")
                if item.paths:
                    st.button(f"Edit #{item.id}", key=f"studio_h{item.id}_edit", icon=":material/edit:",
                              on_click=_choose_for_edit, args=(str(item.paths[0]), "history"))
                if st.session_state.get("studio_confirm_delete") == item.id:
                    st.warning(f"Delete #{item.id} and its {len(item.paths)} file(s)? This cannot be undone.",
                               icon=":material/warning:")
                    if st.button("Yes, delete it", key=f"studio_h{item.id}_yes", type="primary"):
                        gallery.delete(learner.id, item.id)
                        _cancel_delete()
                        st.rerun()
                    st.button("Keep it", key=f"studio_h{item.id}_no", on_click=_cancel_delete)
                else:
                    st.button(f"Delete #{item.id}", key=f"studio_h{item.id}_del", icon=":material/delete:",
                              on_click=_ask_delete, args=(item.id,))
