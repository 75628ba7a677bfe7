"""Personal data over its life: retention, and the rights of the people concerned.

docs/personal-data.md says what the library guarantees and which test proves it.
"""

from __future__ import annotations

from .retention import RetentionCounts, RetentionRun, erasure_day, run_retention
from .rights import Erasure, erase_participant, personal_data_of

__all__ = [
    "Erasure",
    "RetentionCounts",
    "RetentionRun",
    "erase_participant",
    "erasure_day",
    "personal_data_of",
    "run_retention",
]
