"""The canonical files' columns (docs/data-formats.md, The spreadsheets) and how a header is matched to them.

Column names are compared after trimming, in lower case, with runs of spaces
read as ``_`` ("Participant ID" is ``participant_id``). A column that is
neither canonical nor in the programme's ``import.ignore_columns`` is refused
by name, so that no free text slips into the pseudonymous core.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

import attrs

from ..errors import Problem
from .kinds import KINDS, Kind
from .values import clean

__all__ = [
    "COLUMNS",
    "KINDS",
    "PERSONAL_COLUMNS",
    "REQUIRED",
    "Header",
    "Kind",
    "column_key",
    "match_header",
]

_PARTICIPANT_COLUMNS = (
    "participant_id",
    "cohort_id",
    "entry_date",
    "birth_date",
    "gender",
    "education_level",
    "qpv",
    "qpv_code",
    "status_at_entry",
    "scheme",
    "referrer",
    "counsellor",
)
#: Personal data of participants.csv: stored apart from the pseudonymous core.
PERSONAL_COLUMNS = ("first_name", "last_name", "email", "phone")

#: Every column of each kind of file, the required ones first.
COLUMNS: dict[Kind, tuple[str, ...]] = {
    "participants": _PARTICIPANT_COLUMNS + PERSONAL_COLUMNS,
    "cohorts": ("cohort_id", "start_date", "end_date", "capacity"),
    "exits": (
        "participant_id",
        "exit_date",
        "exit_reason",
        "destination",
        "contract",
        "contract_months",
        "qualifying",
    ),
    "followups": (
        "participant_id",
        "contact_date",
        "situation",
        "contract",
        "contract_months",
        "qualifying",
        "channel",
        "note",
    ),
    "attendance": ("participant_id", "date", "half_day", "status", "reason"),
}

REQUIRED: dict[Kind, frozenset[str]] = {
    "participants": frozenset({"participant_id", "cohort_id", "entry_date"}),
    "cohorts": frozenset({"cohort_id"}),
    "exits": frozenset({"participant_id", "exit_date", "exit_reason", "destination"}),
    "followups": frozenset({"participant_id", "contact_date", "situation"}),
    "attendance": frozenset({"participant_id", "date", "status"}),
}

_SPACES = re.compile(r"[\s\u00a0\u202f]+")
# A header cell holding an e-mail, a date, a phone or long text is a row of data.
_DATA_LIKE = re.compile(r".*(?:@|\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}|\d.*\d.*\d.*\d)|.{65,}", re.DOTALL)


def column_key(name: str) -> str:
    """The canonical spelling of a column name: trimmed, lower case, spaces as ``_``."""
    return _SPACES.sub("_", clean(name).lower())


@attrs.frozen
class Header:
    """Where each known column sits in a file's rows, and the positions read as nothing.

    ``unnamed`` holds the positions of columns with an empty name: harmless
    when empty (Excel adds them), refused when a row has a value there.
    """

    positions: dict[str, int]
    unnamed: frozenset[int]
    width: int

    def has(self, column: str) -> bool:
        """True when the file has this column."""
        return column in self.positions


def match_header(
    kind: Kind,
    names: Sequence[str],
    file: str,
    line: int,
    ignore_columns: Collection[str] = (),
) -> tuple[Header, list[Problem]]:
    """Match a header line to the columns of ``kind``; problems name each bad column."""
    known = COLUMNS[kind]
    ignored = {column_key(name) for name in ignore_columns}
    positions: dict[str, int] = {}
    unnamed: set[int] = set()
    problems: list[Problem] = []
    for index, name in enumerate(names):
        key = column_key(name)
        if not key:
            unnamed.add(index)
        elif key in ignored:
            continue
        elif key not in known:
            data_like = _DATA_LIKE.match(name) is not None
            problems.append(
                Problem(
                    file,
                    line,
                    f"column {index + 1}" if data_like else name,
                    "unknown column, and its name looks like data: is the header line missing?"
                    if data_like
                    else f"unknown column; the columns of {kind} files are {', '.join(known)} "
                    "(a column to skip on purpose goes in the programme's import.ignore_columns)",
                )
            )
        elif key in positions:
            problems.append(
                Problem(
                    file,
                    line,
                    name,
                    f"this column appears twice (columns {positions[key] + 1} and {index + 1})",
                )
            )
        else:
            positions[key] = index
    if not positions and len(problems) == len(names) - len(unnamed) > 0:
        # Not one known column: most likely a row of data, whose values must not be echoed.
        return Header(positions, frozenset(unnamed), len(names)), [
            Problem(
                file,
                line,
                None,
                f"this line names none of the columns of {kind} files: is the header line "
                f"missing? The first line must name the columns ({', '.join(known)}); "
                "its values are not shown here, as they may be personal data",
            )
        ]
    for column in known:
        if column in REQUIRED[kind] and column not in positions:
            problems.append(Problem(file, line, column, "required column is missing"))
    return Header(positions, frozenset(unnamed), len(names)), problems
