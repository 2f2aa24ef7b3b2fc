"""The generation studio's engine: one click (validate -> limit -> call -> save -> verify) as :func:`run`.

Nothing here imports Streamlit, the ``openai`` SDK or the Azure SDK: the local model's path stays
offline and light, and the remote backends are built (and the SDK imported) only by
:func:`genlab.backends.get_backend`.
"""

from genlab.studio.active import LABELS, SERVICE, ActiveBackend, active_backend, usable
from genlab.studio.engine import Run, call, finish, refuse, run
from genlab.studio.keep import GalleryKeeper, Keeper, ScratchKeeper, owned_image, scratch_folder
from genlab.studio.limiter import Limiter, MemoryLimiter, StoreLimiter

__all__ = [
    "LABELS",
    "SERVICE",
    "ActiveBackend",
    "GalleryKeeper",
    "Keeper",
    "Limiter",
    "MemoryLimiter",
    "Run",
    "ScratchKeeper",
    "StoreLimiter",
    "active_backend",
    "call",
    "finish",
    "owned_image",
    "refuse",
    "run",
    "scratch_folder",
    "usable",
]
