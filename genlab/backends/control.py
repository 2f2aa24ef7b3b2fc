"""One click's clock: a wall-clock deadline and a cancel switch, shared by every step of a call.

The SDK's own timeout is per read, so a server that trickles a byte a second is never cut off, and
retries multiply it. Instead, the studio gives each click one :class:`CallControl`: connecting, every
read, a short visible wait and a retry all spend the same budget, and a Cancel button (or the page
being left) sets :attr:`CallControl.cancelled`, which the reading loop checks between chunks.
"""

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from time import monotonic

#: The default limit for one click, in seconds (``Settings.request_deadline_s``).
DEFAULT_DEADLINE_S = 120.0


class CallStopped(Exception):
    """Raised inside a call when its deadline passed (``reason`` "deadline") or it was cancelled."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class CallControl:
    """The deadline and cancel switch of one click. ``on_wait(seconds, sentence)`` is told about any
    wait the engine chooses to make, so the page can show it rather than hang silently."""

    deadline_s: float = DEFAULT_DEADLINE_S
    started: float = field(default_factory=monotonic)
    cancelled: threading.Event = field(default_factory=threading.Event)
    on_wait: Callable[[float, str], None] | None = None

    def elapsed(self) -> float:
        return monotonic() - self.started

    def remaining(self) -> float:
        return self.deadline_s - self.elapsed()

    def cancel(self) -> None:
        self.cancelled.set()

    def check(self) -> None:
        """Stop the call (raise :class:`CallStopped`) when it was cancelled or its time is up."""
        if self.cancelled.is_set():
            raise CallStopped("cancelled")
        if self.remaining() <= 0:
            raise CallStopped("deadline")

    def sleep(self, seconds: float, sentence: str) -> None:
        """Wait ``seconds`` visibly (``on_wait``), waking early on cancel; then :meth:`check`."""
        if self.on_wait is not None:
            self.on_wait(seconds, sentence)
        self.cancelled.wait(min(seconds, max(0.0, self.remaining())))
        self.check()
