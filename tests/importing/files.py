"""Canonical files written from domain values, in the plain dialect or as French Excel does.

Both dialects are generated from the same journeys, so a test can import
each and expect to read back the very same values.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from pathlib import Path

import attrs

from insertion_core.domain import Cohort, Journey, PersonalData
from insertion_core.importing import COLUMNS, Kind

NBSP = "\u00a0"
#: Old-nomenclature levels that read back exactly as the new level.
ROMAN = {"none": "VI", "3": "V", "4": "IV", "5": "III", "6": "II", "7": "I"}


@attrs.frozen
class Dialect:
    """How a spreadsheet writes a CSV file."""

    delimiter: str = ","
    encoding: str = "utf-8-sig"
    french: bool = False  # D/M/YYYY dates, decimal commas, Oui/Non, codes in upper case
    sep_line: bool = False
    noisy: bool = False  # NBSP and spaces around values and headers, empty rows, times

    def cell(self, value: object, column: str) -> str:
        if value is None:
            return ""
        if isinstance(value, bool):
            text = ("Oui" if value else "NON") if self.french else ("yes" if value else "no")
        elif isinstance(value, dt.date):
            text = f"{value.day:02d}/{value.month:02d}/{value.year}" if self.french else str(value)
            if self.noisy and column in ("entry_date", "exit_date"):
                text += " 00:00"
        elif isinstance(value, Decimal):
            text = str(value).replace(".", ",") if self.french else str(value)
        elif isinstance(value, enum.Enum):
            text = str(value.value)
            if self.french:
                if column == "education_level":
                    text = ROMAN.get(text, text)
                elif column == "gender" and text == "M":
                    text = "H"
                else:
                    text = text.upper()
        else:
            text = str(value)
            if self.french and column in ("destination", "situation"):
                text = text.upper()
        return f" {text}{NBSP}" if self.noisy else text


PLAIN = Dialect()
EXCEL_FR = Dialect(";", "cp1252", french=True, sep_line=True, noisy=True)
EXCEL_FR_UTF8 = Dialect(";", "utf-8-sig", french=True, noisy=True)
EXCEL_FR_UTF8_NO_BOM = Dialect(";", "utf-8", french=True, sep_line=True)


def rows_of(
    kind: Kind,
    journeys: Sequence[Journey],
    personal: dict[str, PersonalData] | None = None,
    cohorts: Sequence[Cohort] = (),
) -> list[dict[str, object]]:
    """The rows of one canonical file describing ``journeys``, as column -> value."""
    personal = personal or {}
    rows: list[dict[str, object]] = []
    if kind == "cohorts":
        return [attrs.asdict(c, recurse=False) for c in cohorts]
    for journey in journeys:
        pid = journey.participant_id
        if kind == "participants":
            row = attrs.asdict(journey.participant, recurse=False)
            data = personal.get(pid)
            if data is not None:
                row |= {k: v for k, v in attrs.asdict(data).items() if k != "participant_id"}
            rows.append(row)
        elif kind == "exits" and journey.exit is not None:
            e = journey.exit
            rows.append(
                {
                    "participant_id": pid,
                    "exit_date": e.exit_date,
                    "exit_reason": e.reason,
                    "destination": e.destination.code,
                    "contract": e.contract,
                    "contract_months": e.contract_months,
                    "qualifying": e.qualifying,
                }
            )
        elif kind == "followups":
            for c in journey.contacts:
                row = attrs.asdict(c, recurse=False) | {"participant_id": pid}
                row["situation"] = c.situation.code
                rows.append(row)
        elif kind == "attendance":
            for a in journey.attendance:
                rows.append(attrs.asdict(a, recurse=False) | {"participant_id": pid})
    return rows


def csv_text(kind: Kind, rows: Iterable[dict[str, object]], dialect: Dialect = PLAIN) -> str:
    """The text of a canonical file in ``dialect`` (before encoding)."""
    out = io.StringIO()
    if dialect.sep_line:
        out.write(f"sep={dialect.delimiter}\r\n")
    writer = csv.writer(out, delimiter=dialect.delimiter, lineterminator="\r\n")
    columns = COLUMNS[kind]
    header = [c.replace("_", " ").title() if dialect.noisy else c for c in columns]
    writer.writerow(header)
    for index, row in enumerate(rows):
        writer.writerow([dialect.cell(row.get(c), c) for c in columns])
        if dialect.noisy and index % 7 == 3:
            writer.writerow([""] * len(columns))  # Excel's ;;;; rows
    return out.getvalue()


def write_directory(
    folder: Path,
    journeys: Sequence[Journey],
    dialect: Dialect = PLAIN,
    personal: dict[str, PersonalData] | None = None,
    cohorts: Sequence[Cohort] = (),
) -> Path:
    """Write the five canonical files describing ``journeys`` into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for kind in COLUMNS:
        text = csv_text(kind, rows_of(kind, journeys, personal, cohorts), dialect)
        (folder / f"{kind}.csv").write_bytes(text.encode(dialect.encoding))
    return folder
