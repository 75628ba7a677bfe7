"""What the parser makes of each kind of file: domain values, each with its line.

A :class:`ParsedFile` keeps the rows that parsed, the problems of those that
did not, and which optional columns the file has: a column the file leaves
out keeps what is stored, whereas an empty cell in a column it has clears it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TypeVar

import attrs

from ..domain.model import (
    AttendanceRecord,
    Cohort,
    Exit,
    FollowUpContact,
    Participant,
    PersonalData,
)
from ..errors import Problem
from .rows import RawRow
from .schema import Kind

__all__ = [
    "AttendanceRow",
    "CohortRow",
    "ExitRow",
    "FollowUpRow",
    "ParsedFile",
    "ParticipantRow",
    "PhaseRow",
    "Progress",
    "Record",
]

#: Problems a file keeps; past them, a hostile file's problems are only counted.
KEEP_PROBLEMS = 1000

#: Wraps a file's rows as they are read (a progress bar): (label, total, rows) -> rows.
Progress = Callable[[str, int, Iterable[RawRow]], Iterable[RawRow]]


@attrs.frozen
class ParticipantRow:
    """A participants.csv row: the pseudonymous participant and their personal data."""

    line: int
    participant: Participant
    personal: PersonalData

    @property
    def participant_id(self) -> str:
        return self.participant.participant_id


@attrs.frozen
class CohortRow:
    """A cohorts.csv row."""

    line: int
    cohort: Cohort


@attrs.frozen
class PhaseRow:
    """A phases.csv row: the day a participant started one of the programme's phases."""

    line: int
    participant_id: str
    phase_id: str
    start_date: dt.date


@attrs.frozen
class ExitRow:
    """An exits.csv row."""

    line: int
    participant_id: str
    exit: Exit


@attrs.frozen
class FollowUpRow:
    """A followups.csv row."""

    line: int
    participant_id: str
    contact: FollowUpContact


@attrs.frozen
class AttendanceRow:
    """An attendance.csv row."""

    line: int
    participant_id: str
    record: AttendanceRecord


Record = ParticipantRow | CohortRow | PhaseRow | ExitRow | FollowUpRow | AttendanceRow
R = TypeVar("R", ParticipantRow, CohortRow, PhaseRow, ExitRow, FollowUpRow, AttendanceRow)


@attrs.define
class ParsedFile:
    """One file read and parsed: its good rows, its problems, and the columns it has.

    ``more`` counts the problems past :data:`KEEP_PROBLEMS`; ``tainted`` holds the participant ids of rows that had problems, so later
    checks do not pile consequences on top of the real problem; ``complete``
    is False when the rows could not all be read (undecodable file, missing
    column), and then no check against stored journeys is worth making.
    """

    kind: Kind
    file: str
    columns: frozenset[str] = frozenset()
    records: list[Record] = attrs.Factory(list)
    problems: list[Problem] = attrs.Factory(list)
    tainted: set[str] = attrs.Factory(set)
    complete: bool = True
    more: int = 0

    def add(self, problem: Problem) -> None:
        """Keep a problem, or only count it past :data:`KEEP_PROBLEMS`."""
        if len(self.problems) < KEEP_PROBLEMS:
            self.problems.append(problem)
        else:
            self.more += 1

    def rows(self, kind: type[R]) -> list[R]:
        """The good rows, typed (a file holds rows of one kind)."""
        return [r for r in self.records if isinstance(r, kind)]

    def participant_ids(self) -> set[str]:
        """Every participant id the file's good rows name."""
        return {
            r.participant_id
            for r in self.records
            if isinstance(r, ParticipantRow | PhaseRow | ExitRow | FollowUpRow | AttendanceRow)
        }
