"""The full schema: every feature's tables registered on one metadata (for migrations and tests)."""

# Feature table modules are imported here so their tables join Base.metadata.
# (Each feature adds one import line when it gains tables.)
from genlab.backends import tables as _generations  # noqa: F401
from genlab.classroom import tables as _classroom  # noqa: F401
from genlab.lessons import tables as _lessons  # noqa: F401
from genlab.store.models import Base
from genlab.study import tables as _study  # noqa: F401

metadata = Base.metadata
