"""One studio click, start to end: validate -> limit -> call -> save -> verify.

:func:`run` is everything the Generate, Edit and Compare buttons do, without Streamlit, so each step is
unit-tested: refuse what breaks a documented limit (nothing sent), check the learner's rate limit and
budget (nothing sent), call the backend in a worker thread under one wall-clock deadline, save what
came back, and describe it as a small :class:`Run` (paths, never bytes, so it fits in session state).

The worker thread is what makes the deadline and Cancel real: the page's thread waits on it in short
ticks (drawing progress in ``on_tick``) and stops waiting at the deadline, or when cancelled, whatever
the backend is doing; the backend also stops itself at the deadline between reads.
"""

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from time import perf_counter
from typing import Any

from genlab.backends.control import CallControl
from genlab.backends.errors import stopped_error
from genlab.backends.gallery import PAID_BACKENDS
from genlab.backends.limits import service_name, validate
from genlab.backends.prices import estimate
from genlab.backends.types import Backend, BackendError, ImageRequest, ImageResult, PartialCallback
from genlab.studio import gate
from genlab.studio.keep import Keeper
from genlab.studio.limiter import Limiter

log = logging.getLogger(__name__)

#: How often the waiting thread wakes to draw progress and look at the clock.
TICK_S = 0.2
#: How long past the deadline the waiting thread gives a backend to stop by itself.
GRACE_S = 1.0


@dataclass
class Run:
    """One request and what came of it, small enough for session state: paths, never bytes.

    ``billed`` is "no", "yes" (usage reported, or images delivered) or "maybe" (it reached the service
    and the answer was lost); ``charged_usd`` is what was counted against the budget.
    """

    operation: str
    backend: str
    model: str
    prompt: str
    parameters: dict[str, Any]
    paths: list[str] = field(default_factory=list)
    partial_paths: list[str] = field(default_factory=list)
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
    billed: str = "no"
    charged_usd: float = 0.0
    requests: int = 0
    deadline_s: float | None = None

    @property
    def ok(self) -> bool:
        """A success: no error and at least one image that decoded."""
        return self.error is None and bool(self.paths)


def refuse(request: ImageRequest, backend: str, model: str, operation: str, error: BackendError) -> Run:
    """A run that never reached a backend (validation, limits): its error is the whole story."""
    return Run(operation=operation, backend=backend, model=model, prompt=request.prompt,
               parameters=request.parameters(), error=error)


def run(backend: Backend, request: ImageRequest, op: str, *, gallery: Keeper, limits: Limiter,
        on_partial: PartialCallback | None = None, control: CallControl | None = None,
        on_tick: Callable[[float], None] | None = None,
        on_interrupt: Callable[["Run"], None] | None = None, owner: str | None = None) -> Run:
    """Validate, limit, call (under ``control``'s deadline), save and describe one request.

    ``on_partial`` gets each preview (from the worker thread); ``on_tick(elapsed_s)`` runs in the calling
    thread every :data:`TICK_S` while waiting. If ``on_tick`` raises (the page was rerun by a Cancel
    click), the call is cancelled, what arrived is saved, ``on_interrupt`` gets the cancelled run, and
    the exception goes on. ``owner`` (the learner, or the visit) is who the local model's one-drawing-at-
    a-time guard (:mod:`genlab.studio.gate`) is kept for; paid backends are limited by ``limits`` instead.
    """
    name, model = backend.name, backend.model
    refusals = validate(request, name, model, op)
    if refusals:
        return refuse(request, name, model, op, BackendError(kind="validation", message=" ".join(refusals),
                                                              details={"refusals": refusals}))
    cost = estimate(request, model, name)
    refused = limits.check(name, cost)
    if refused is not None:
        return refuse(request, name, model, op, refused)
    on_end: Callable[[], None] | None = None
    if name not in PAID_BACKENDS and owner is not None:
        if not gate.claim(owner):
            return refuse(request, name, model, op, gate.busy_error())
        on_end = partial(gate.release, owner)
    control = control or CallControl()
    seen: list[bytes] = []
    try:
        result = call(backend, request, op, control, on_partial=on_partial, on_tick=on_tick, seen=seen,
                      on_end=on_end)
    except BaseException:
        control.cancel()
        stopped = _unfinished(backend, control, seen, "cancelled")
        interrupted = finish(request, stopped, op, gallery, limits, control)
        if on_interrupt is not None:
            on_interrupt(interrupted)
        raise
    return finish(request, result, op, gallery, limits, control)


def call(backend: Backend, request: ImageRequest, op: str, control: CallControl, *,
         on_partial: PartialCallback | None = None,
         on_tick: Callable[[float], None] | None = None, seen: list[bytes] | None = None,
         on_end: Callable[[], None] | None = None) -> ImageResult:
    """The backend call in a worker thread; this thread waits in ticks and gives up at the deadline
    (plus :data:`GRACE_S`) or on cancel, returning a result that says so. Never raises for the call
    (only ``on_tick`` may). ``seen`` collects the previews that arrived; ``on_end`` runs in the worker
    once the backend call has really ended, which may be after this function stopped waiting."""
    outcome: dict[str, Any] = {}
    seen = [] if seen is None else seen

    def preview(index: int, data: bytes) -> None:
        seen.append(data)
        if on_partial is not None:
            on_partial(index, data)

    def work() -> None:
        method = backend.edit if op == "edit" else backend.generate
        try:
            outcome["result"] = method(request, preview, control)
        except Exception as exc:  # a backend bug must still end as a sentence
            log.exception("an image backend raised")
            outcome["error"] = exc
        finally:
            if on_end is not None:
                on_end()

    worker = threading.Thread(target=work, name="studio-call", daemon=True)
    try:
        worker.start()
    except BaseException:
        if on_end is not None:
            on_end()
        raise
    try:
        while worker.is_alive():
            worker.join(TICK_S)
            if on_tick is not None:
                on_tick(control.elapsed())
            if control.cancelled.is_set() or control.remaining() < -GRACE_S:
                break
    finally:
        if worker.is_alive():
            control.cancel()  # the worker stops at its next read and its answer is ignored
    if "result" in outcome:
        return outcome["result"]
    if "error" in outcome:
        exc = outcome["error"]
        service = service_name(backend.name, start=True)
        return ImageResult(backend=backend.name, model=backend.model, error=BackendError(
            kind="unexpected", details={"exception": type(exc).__name__}, message=(
                f"{service} failed in an unexpected way ({type(exc).__name__}). Try again; if it keeps "
                "happening, show this message to whoever runs the app.")))
    reason = "cancelled" if control.cancelled.is_set() and control.remaining() > 0 else "deadline"
    return _unfinished(backend, control, seen, reason)


def _unfinished(backend: Backend, control: CallControl, partials: list[bytes], reason: str) -> ImageResult:
    """What a call that was stopped from outside amounts to: its previews, and the sentence why."""
    paid = backend.name in PAID_BACKENDS
    service = service_name(backend.name)
    error = stopped_error(service, reason, elapsed_s=control.elapsed(), deadline_s=control.deadline_s,
                          previews=len(partials), reached=True, paid=paid)
    return ImageResult(backend=backend.name, model=backend.model, error=error, partials=list(partials),
                       billed="maybe" if paid else "no", requests=1, timings={"total": control.elapsed()})


def finish(request: ImageRequest, result: ImageResult, op: str, gallery: Keeper, limits: Limiter,
           control: CallControl) -> Run:
    """Save what came back and describe it; count the request against the limits."""
    started = perf_counter()
    paths, generation_id = gallery.keep(request, result)
    partial_paths = gallery.keep_partials(result.partials) if result.partials and not result.images else []
    limits.count(result)
    parameters = request.parameters()
    if result.seed is not None:
        parameters["seed"] = result.seed
    timings = dict(result.timings)
    timings["save"] = perf_counter() - started
    paid = result.backend in PAID_BACKENDS
    return Run(
        operation=op, backend=result.backend, model=result.model, prompt=request.prompt, parameters=parameters,
        paths=[str(p) for p in paths], partial_paths=[str(p) for p in partial_paths], mime=result.mime,
        notes=list(result.notes), cost_label=_cost_label(result),
        estimate_label=estimate(request, result.model, result.backend).label if paid else None,
        timings=timings, request_id=result.request_id, revised_prompt=result.revised_prompt, seed=result.seed,
        error=result.error, generation_id=generation_id, billed=result.billed,
        charged_usd=result.cost.usd if result.cost is not None and paid else 0.0, requests=result.requests,
        deadline_s=control.deadline_s)


def _cost_label(result: ImageResult) -> str | None:
    if result.cost is not None:
        return result.cost.label
    if result.billed == "maybe":
        return ("Unknown: it may have been billed, but the service reported no usage, so nothing is counted "
                "against your budget.")
    return "Nothing: no image was made and nothing was billed." if result.error is not None else None

