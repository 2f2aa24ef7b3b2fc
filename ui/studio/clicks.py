"""One click on the page: the engine's :func:`genlab.studio.run`, drawn while it works.

The page shows the elapsed time against the click's deadline, any rough previews as they arrive, a
Cancel button that really stops waiting (pressing it reruns the page, which interrupts the wait; the
engine then cancels the call and keeps what arrived), and, after a rate limit, a countdown until the
next request may go.
"""

import queue
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import streamlit as st

from genlab.backends import Backend, ImageRequest
from genlab.backends.control import CallControl
from genlab.backends.gallery import Gallery
from genlab.studio import SERVICE, GalleryKeeper, Keeper, Limiter, MemoryLimiter, Run, ScratchKeeper, StoreLimiter
from genlab.studio import run as run_click
from genlab.studio.keep import scratch_folder
from ui import keys, state
from ui.studio.results import DISPLAY_PX, display_copy, words

#: Session-state keys this module owns.
VISIT_KEY, LIMITER_KEY = keys.STUDIO_VISIT, keys.STUDIO_LIMITER
WAIT_KEY, RUNS_KEY = keys.STUDIO_WAIT_UNTIL, keys.STUDIO_RUNS
CALL_KEY = "studio_call"  # the click in flight: its CallControl and an Event set once its run is recorded


def _scratch() -> Path:
    visit = st.session_state.setdefault(VISIT_KEY, uuid.uuid4().hex)
    return scratch_folder(state.settings().data_dir, visit)


def keeper(gallery: Gallery | None) -> Keeper:
    """Where this click's images go: the learner's gallery with a profile, the visit's folder without."""
    learner = state.current_learner()
    if learner is not None and gallery is not None:
        return GalleryKeeper(gallery, learner.id, _scratch())
    return ScratchKeeper(_scratch())


def limiter(gallery: Gallery | None) -> Limiter:
    """The learner's limits: from the store with a profile, kept for the visit without (same rules)."""
    learner = state.current_learner()
    if learner is not None and gallery is not None:
        return StoreLimiter(gallery, learner.id)
    config = state.settings()
    return st.session_state.setdefault(LIMITER_KEY, MemoryLimiter(config.rate_limit_per_minute,
                                                                  config.daily_budget_usd))


def owner() -> str:
    """Who the local model's one-drawing-at-a-time guard is kept for: the learner (across their tabs), or
    this visit without a profile."""
    learner = state.current_learner()
    if learner is not None:
        return f"learner:{learner.id}"
    return "visit:" + st.session_state.setdefault(VISIT_KEY, uuid.uuid4().hex)


def _cancel() -> None:
    """The Cancel button's callback, run at the start of the rerun its click causes: cancel the click in
    flight (its worker stops at the next read, its wait at the next tick) and give it a moment to record
    the cancelled run, so this rerun shows it."""
    call = st.session_state.get(CALL_KEY)
    if call is None:
        return
    call["control"].cancel()
    call["done"].wait(3.0)


def run_with_progress(chosen: Backend, request: ImageRequest, operation: str, gallery: Gallery | None,
                      slot: str) -> Run:
    """Run one click with a live status: elapsed time against the deadline, previews, and Cancel.

    ``slot`` is where the run is kept in session state, so a cancelled run is shown after the rerun."""
    config = state.settings()
    runs: dict = st.session_state.setdefault(RUNS_KEY, {})
    previews: queue.Queue[bytes] = queue.Queue()
    waits: queue.Queue[str] = queue.Queue()
    control = CallControl(deadline_s=config.request_deadline_s,
                          on_wait=lambda s, why: waits.put(f"{why}: waiting {s:.1f} s, then asking once more."))
    done = threading.Event()
    st.session_state[CALL_KEY] = {"control": control, "done": done}
    service = SERVICE[chosen.name]
    wait = "" if chosen.name == "local" else " Images usually take 10 to 30 seconds."
    shown = 0
    with st.status(f"Asking {service}…{wait}", expanded=True) as status:
        bar = st.progress(0.0, text="Starting…")
        st.button("Cancel", key=f"studio_cancel_{slot}", icon=":material/cancel:", on_click=_cancel,
                  help="Stop waiting. A paid service may still finish the image and bill it.")
        preview = st.empty()
        waiting = st.empty()

        def tick(elapsed: float) -> None:
            nonlocal shown
            while not waits.empty():  # a short wait the service asked for, shown while it happens
                waiting.caption(f":material/hourglass_top: {words(waits.get_nowait())}")
            while not previews.empty():
                data = previews.get_nowait()
                shown += 1
                pixels = display_copy(data)
                if pixels is not None:
                    preview.image(pixels, width=DISPLAY_PX, output_format="PNG",
                                  caption=f"Rough preview {shown} of {request.partial_images}",
                                  alt=f"Rough preview {shown} of {request.partial_images}, still being drawn, "
                                      f"for the prompt: {request.prompt}")
            done_so_far = f"preview {shown} of {request.partial_images}, " if request.partial_images else ""
            bar.progress(min(elapsed / control.deadline_s, 1.0),
                         text=f"Working: {done_so_far}{elapsed:.1f} s of at most {control.deadline_s:g} s")

        def interrupted(run: Run) -> None:
            runs[slot] = run
            done.set()

        result = run_click(chosen, request, operation, gallery=keeper(gallery), limits=limiter(gallery),
                           on_partial=lambda _i, data: previews.put(data), control=control, on_tick=tick,
                           on_interrupt=interrupted, owner=owner())
        runs[slot] = result
        done.set()
        tick(control.elapsed())
        elapsed = control.elapsed()
        bar.progress(1.0, text=f"Finished in {elapsed:.1f} s")
        made = len(result.paths)
        status.update(label=(f"Made {made} image{'s' if made != 1 else ''} with {service} in {elapsed:.1f} s"
                             if result.ok else f"{service[:1].upper()}{service[1:]} did not make an image"),
                      state="complete" if result.ok else "error", expanded=False)
    if result.error is not None and result.error.retry_after_s:
        st.session_state[WAIT_KEY] = time.time() + result.error.retry_after_s
    return result


@st.fragment(run_every=timedelta(seconds=1))
def countdown() -> None:
    """After a rate limit, the seconds left before the next request may go (updated every second)."""
    until = st.session_state.get(WAIT_KEY)
    if until is None:
        return
    left = round(until - time.time())
    if left <= 0:
        st.session_state.pop(WAIT_KEY, None)
        st.caption(":material/check: You can press Generate again.")
        return
    st.caption(f":material/hourglass_top: Wait {left} s before pressing Generate again: the service asked for it.")
