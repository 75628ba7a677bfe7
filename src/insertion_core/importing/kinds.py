"""The kinds of canonical file: what ``insertion import --kind`` accepts.

Apart from the schema so that the command line can list them without loading
the importer (every ``insertion`` command builds its options at start).
"""

from __future__ import annotations

from typing import Literal

__all__ = ["KINDS", "Kind"]

Kind = Literal["participants", "cohorts", "phases", "exits", "followups", "attendance"]

#: The kinds of file, in the order a directory is imported.
KINDS: tuple[Kind, ...] = (
    "participants",
    "cohorts",
    "phases",
    "exits",
    "followups",
    "attendance",
)
