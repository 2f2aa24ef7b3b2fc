"""Which image backend is active: the one answer the sidebar and the studio both show.

The studio's backend selector stores the learner's choice; until one is made, or when the chosen one
cannot run here, the local model is active (free, so nothing is charged by surprise), else the first
backend that can run. Both the sidebar and the studio call :func:`active_backend` with the same
inputs, so they cannot disagree.
"""

from dataclasses import dataclass

from genlab.backends.limits import SERVICE_NAMES
from genlab.backends.types import Availability

#: Each backend's name in a sentence (the backends' own map, under the name the studio UI uses).
SERVICE = SERVICE_NAMES
#: The backend selector's labels: the local model says it is free and offline.
LABELS = {**SERVICE_NAMES, "local": "Local model (free, offline)"}


@dataclass(frozen=True)
class ActiveBackend:
    """The active backend's name, its label, and a sentence saying why it is the active one."""

    name: str
    label: str
    reason: str
    others: tuple[str, ...]  # the other backends that could be chosen here


def usable(available: dict[str, Availability]) -> list[str]:
    """The backends that can run here, in menu order (local first)."""
    return [name for name, a in available.items() if a.ok]


def active_backend(available: dict[str, Availability], choice: str | None) -> ActiveBackend:
    """The backend in use: ``choice`` (the studio selector's value) when it can run, else the default."""
    names = usable(available)
    if choice in names:
        name, why = choice, "chosen in the studio"
    elif "local" in names or not names:
        name, why = "local", "the default: free, nothing is charged"
    else:
        name, why = names[0], "the only kind available here"
    others = tuple(n for n in names if n != name)
    reason = f"{available[name].reason} Active because it is {why}." if name in available else why
    if others:
        reason += " Also available here, to choose in the studio: " + " ".join(available[n].reason for n in others)
    return ActiveBackend(name=name, label=LABELS[name], reason=reason, others=others)
