"""The whole schema: every feature's tables, registered on the store's one metadata.

Features declare their tables on ``genlab.store.models.Base`` in a ``tables.py`` of their own; the
store never imports them (it sits below the features). Tests that compare the models with the
migrations import every such module first, found by that naming rule, so a new feature's tables are
compared without anyone remembering to add an import.
"""

import importlib
from pathlib import Path

from sqlalchemy import MetaData

from genlab.store.models import Base

GENLAB = Path(__file__).resolve().parents[2] / "genlab"


def feature_table_modules() -> list[str]:
    """``genlab.<feature>.tables`` for every feature package that has one."""
    return sorted(f"genlab.{path.parent.name}.tables" for path in GENLAB.glob("*/tables.py"))


def full_metadata() -> MetaData:
    """``Base.metadata`` after every feature's tables have joined it."""
    for name in feature_table_modules():
        importlib.import_module(name)
    return Base.metadata
