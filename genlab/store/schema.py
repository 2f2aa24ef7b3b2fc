"""The full schema: every feature's tables registered on one metadata (for migrations and tests)."""

from genlab.store.models import Base

# Feature table modules are imported here so their tables join Base.metadata.
# (Each feature adds one import line when it gains tables.)

metadata = Base.metadata
