"""Identifiers that Excel has turned into dates, found by comparing a column's values.

A cohort typed ``2024-09`` or ``9/1`` in a cell left in Excel's General
format becomes the date 2024-09-01, which a CSV export writes as a date: the
typed identifier is lost. A date among identifiers that are not dates is
that accident, and is refused; a column whose every identifier is a date is
the site's own choice, and is kept.
"""

from __future__ import annotations

import re

from ..errors import Problem

__all__ = ["ID_COLUMNS", "DatedIds"]

#: The identifier columns checked.
ID_COLUMNS = ("participant_id", "cohort_id")
# An ISO date (what xlsx date cells and ISO exports give) or D/M/YYYY (French Excel's CSV).
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}(?:[ T]00:00(?::00)?)?|\d{1,2}/\d{1,2}/\d{4}")
_KEEP = 1_000  # date-like values remembered per column; more are counted only


class DatedIds:
    """The date-like values of each id column of one file, and whether other ids were seen."""

    def __init__(self) -> None:
        self.dates: dict[str, list[tuple[int, str]]] = {column: [] for column in ID_COLUMNS}
        self.others: dict[str, bool] = dict.fromkeys(ID_COLUMNS, False)

    def see(self, line: int, column: str, value: str) -> None:
        """Note one row's value of an id column."""
        if not value:
            return
        if _DATE.fullmatch(value):
            if len(self.dates[column]) < _KEEP:
                self.dates[column].append((line, value))
        else:
            self.others[column] = True

    def problems(self, file: str) -> list[Problem]:
        """A problem for each date in a column whose other ids are not dates."""
        return [
            Problem(
                file,
                line,
                column,
                f"{value!r} is a date, where the other identifiers of this column are not: "
                "Excel most likely turned the identifier typed here into a date, and it is "
                "lost; format the column as text and type the identifier again",
            )
            for column in ID_COLUMNS
            if self.others[column]
            for line, value in self.dates[column]
        ]
