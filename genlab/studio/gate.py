"""The local model's guard: one drawing at a time per learner.

The local model is free, so it has no rate limit and no budget. What it costs is this computer's CPU:
a drawing keeps running until it is finished (a model run has no reads to interrupt, so even Cancel
only stops the waiting), and a learner who presses Generate again, or in a second tab, would stack
drawings up and slow the whole class. So each learner (or visit without a profile) may have one
local drawing in progress, and a second click while one is running is refused with a sentence that
says exactly that. The claim ends when the drawing really ends, not when the page stops waiting.
"""

import threading

from genlab.backends.types import BackendError

_lock = threading.Lock()
_drawing: set[str] = set()


def claim(owner: str) -> bool:
    """Start ``owner``'s drawing; False when one is still in progress."""
    with _lock:
        if owner in _drawing:
            return False
        _drawing.add(owner)
        return True


def release(owner: str) -> None:
    """``owner``'s drawing has ended (finished, failed, or stopped after a cancel)."""
    with _lock:
        _drawing.discard(owner)


def drawing(owner: str) -> bool:
    """Whether ``owner`` has a local drawing in progress."""
    with _lock:
        return owner in _drawing


def busy_error() -> BackendError:
    """The sentence for a second click while the first drawing is still running."""
    return BackendError(kind="local_busy", message=(
        "The local model is still drawing your previous image (in this tab or another), and it draws one "
        "image request at a time for each learner; wait a few seconds for it to finish, then press the "
        "button again."))
