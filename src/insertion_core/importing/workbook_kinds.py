"""Which kind of rows each sheet of a workbook holds, found by the sheet's name.

A sheet is matched as a file is, by its kind's name in any case
(``Participants``, ``phases``), by the French names sites give their sheets,
or by the programme's ``[import.sheets]``; other sheets are left alone.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..errors import Problem
from .kinds import KINDS, Kind
from .rows import ReadError
from .schema import column_key
from .sources import Sheet

__all__ = ["FRENCH_SHEETS", "sheet_kind", "workbook_sheets"]

#: French sheet names read without any mapping.
FRENCH_SHEETS: dict[str, Kind] = {
    "Participants": "participants",
    "Sorties": "exits",
    "Suivi": "followups",
    "Phases": "phases",
    "Présence": "attendance",
    "Promotions": "cohorts",
}
_KINDS: dict[str, Kind] = {kind: kind for kind in KINDS}
_BUILT_IN = {column_key(kind): kind for kind in KINDS} | {
    column_key(name): kind for name, kind in FRENCH_SHEETS.items()
}


def sheet_kind(name: str, sheets: Mapping[str, str]) -> str | None:
    """The kind a sheet named ``name`` holds (a site's mapping first), or None."""
    for mapped, kind in sheets.items():
        if column_key(mapped) == column_key(name):
            return kind
    return _BUILT_IN.get(column_key(name))


def workbook_sheets(
    path: Path, sheets: Mapping[str, str]
) -> tuple[list[tuple[Kind, Sheet]], list[Problem]]:
    """The sheets of the workbook at ``path`` that hold a kind of rows, and the problems found."""
    from .xlsx import sheet_names

    try:
        names = sheet_names(path)
    except ReadError as error:
        return [], [Problem(str(path), error.line, None, error.message)]
    found: list[tuple[Kind, Sheet]] = []
    problems: list[Problem] = []
    for name in names:
        named = sheet_kind(name, sheets)
        if named is None:
            continue
        kind = _KINDS.get(named)
        if kind is None:
            problems.append(
                Problem(
                    str(path),
                    None,
                    name,
                    f"the programme's import.sheets maps this sheet to {named!r}, which is not "
                    f"a kind of file ({', '.join(KINDS)})",
                )
            )
            continue
        found.append((kind, Sheet(path, name)))
    return found, problems
