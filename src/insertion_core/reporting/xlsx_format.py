"""The built-in ``xlsx`` report format: the workbook a funder's officer opens.

The provenance comes first, then one sheet per indicator set, the population,
one sheet per breakdown (long form: one row per group and figure, so that a
filter finds any), and the definitions on a sheet of their own. Numbers are
numbers (rates with a percentage format), labels are in the programme's
language, and every figure has its status beside it. openpyxl is imported only
when a workbook is written (``pip install insertion-core[xlsx]``).
"""

from __future__ import annotations

import importlib
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from ..errors import ConfigError
from ..outcomes.report import Figure, Rate, Report, Tally, figure_status, figure_value
from ..safety import spreadsheet_cell
from .cells import figure_text, group_label, indicator_label
from .csv_format import rate_status
from .document import doc_words, heading_facts, status_key

#: An openpyxl worksheet (openpyxl is untyped, and an optional extra).
Worksheet = Any

__all__ = ["XlsxFormat"]

_PERCENT = "0.0%"
_DATE = {"fr": "dd/mm/yyyy", "en": "yyyy-mm-dd"}
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _openpyxl(module: str) -> Any:
    """An openpyxl module, imported only when a workbook is written."""
    return importlib.import_module(module)


def _text(value: object) -> object:
    """A cell value that no spreadsheet runs as a formula (numbers as they are)."""
    return spreadsheet_cell(value)


@attrs.frozen
class XlsxFormat:
    """An Excel workbook (bytes): provenance, sets, population, breakdowns, definitions."""

    name: str = "xlsx"

    def render(self, report: Report) -> bytes:
        """The workbook as the bytes of an .xlsx file."""
        try:
            workbook = _openpyxl("openpyxl").Workbook
        except ImportError as error:  # pragma: no cover - the test extra installs it
            raise ConfigError(
                "the xlsx format needs openpyxl: pip install 'insertion-core[xlsx]'"
            ) from error
        book = workbook()
        sheet = book.active
        assert sheet is not None
        names = _SheetNames()
        w = doc_words(report.locale)
        sheet.title = names.make(w["xlsx.about"])
        _about(sheet, report)
        _population(book.create_sheet(names.make(w["population"])), report)
        for set_name, ids in report.sets.items():
            title = w.get(f"set.{set_name}") or report.set_titles.get(set_name, set_name)
            _set_sheet(book.create_sheet(names.make(title)), report, ids)
        for dim in report.breakdowns:
            title = f"{w['by']} {w.get('dim.' + dim, dim)}"
            _breakdown_sheet(book.create_sheet(names.make(title)), report, dim)
        _definitions(book.create_sheet(names.make(w["definitions"])), report)
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()


class _SheetNames:
    """Sheet names Excel accepts: at most 31 characters, none of ``[]:*?/\\``, all distinct."""

    def __init__(self) -> None:
        self.taken: set[str] = set()

    def make(self, title: str) -> str:
        base = _SHEET_FORBIDDEN.sub(" ", title).strip("' ")[:31] or "sheet"
        name, n = base, 2
        while name.lower() in self.taken:
            suffix = f" ({n})"
            name, n = base[: 31 - len(suffix)] + suffix, n + 1
        self.taken.add(name.lower())
        return name


def _header(sheet: Worksheet, cells: Sequence[str]) -> None:
    font = _openpyxl("openpyxl.styles").Font
    sheet.append([_text(c) for c in cells])
    for cell in sheet[sheet.max_row]:
        cell.font = font(bold=True)
    if sheet.max_row == 1:
        sheet.freeze_panes = "A2"  # a name, not sheet.cell(), which would add a blank row


def _widths(sheet: Worksheet, widths: Iterable[int]) -> None:
    get_column_letter = _openpyxl("openpyxl.utils").get_column_letter
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width


def _about(sheet: Worksheet, report: Report) -> None:
    """Title, audience, what was counted, the key to the marks and the provenance."""
    font = _openpyxl("openpyxl.styles").Font
    w = doc_words(report.locale)
    facts = heading_facts(report)
    sheet.append([_text(facts.title)])
    sheet["A1"].font = font(bold=True, size=14)
    sheet.append([_text(facts.audience)])
    sheet["A2"].font = font(bold=True, color="B00020" if report.audience == "internal" else None)
    sheet.append([])
    date_format = _DATE["fr" if report.locale == "fr" else "en"]
    for label, value in facts.fields:
        sheet.append([_text(label), value if not isinstance(value, str) else _text(value)])
        if not isinstance(value, str):
            sheet.cell(row=sheet.max_row, column=2).number_format = date_format
    key = status_key(report)
    if key:
        sheet.append([])
        sheet.append([_text(w["key"]), _text(key)])
    sheet.append([])
    p = report.provenance
    sheet.append([_text(w["xlsx.provenance"])])
    sheet.cell(row=sheet.max_row, column=1).font = font(bold=True)
    rows: list[tuple[str, object]] = [
        (w["xlsx.generated_at"], p.generated_at),
        (w["xlsx.library"], f"insertion-core {p.library_version}"),
        (w["xlsx.data_sha256"], p.data_sha256),
        (w["xlsx.fingerprint"], p.definitions_fingerprint),
        *((f"{w['xlsx.set_version']} {name}", v) for name, v in p.definitions_version.items()),
        *((f"{w['xlsx.parameter']} {name}", _flat(v)) for name, v in p.parameters.items()),
    ]
    for name, given in rows:
        sheet.append([_text(name), _text(given)])
    _widths(sheet, (34, 70))


def _flat(value: Any) -> str:
    """A provenance parameter on one line: lists joined by commas."""
    if isinstance(value, Mapping):
        return ", ".join(f"{k} {v}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _count_cells(figure: Figure, k: int) -> list[object]:
    """The count (a number, or empty when withheld), then its mark or status."""
    value = figure_value(figure)
    return [value, "" if value is not None else figure_text(figure, k)]


def _status_word(report: Report, status: str) -> str:
    return doc_words(report.locale)[f"status.{status}"]


def _rate_row(report: Report, label: str, code: str, rate: Rate) -> list[object]:
    low, high = rate.ci95 if rate.ci95 is not None else (None, None)
    return [
        _text(label),
        _text(code),
        rate.value,
        low,
        high,
        figure_value(rate.numerator),
        figure_value(rate.denominator),
        _status_word(report, rate_status(rate)),
        _text(
            ""
            if rate_status(rate) == "shown"
            else f"{figure_text(rate.numerator, report.min_cell)}/"
            f"{figure_text(rate.denominator, report.min_cell)}"
        ),
    ]


def _rate_header(report: Report, first: str) -> list[str]:
    w = doc_words(report.locale)
    return [
        first,
        w["code"],
        w["rate"],
        w["xlsx.ci_low"],
        w["xlsx.ci_high"],
        w["xlsx.numerator"],
        w["xlsx.denominator"],
        w["xlsx.status"],
        w["xlsx.mark"],
    ]


def _format_rates(sheet: Worksheet, first_row: int) -> None:
    for row in sheet.iter_rows(min_row=first_row, min_col=3, max_col=5):
        for cell in row:
            cell.number_format = _PERCENT


def _set_sheet(sheet: Worksheet, report: Report, ids: Sequence[str]) -> None:
    w = doc_words(report.locale)
    rates = [(i, r) for i in ids if isinstance(r := report.indicators[i], Rate)]
    tallies = [(i, t) for i in ids if isinstance(t := report.indicators[i], Tally)]
    if rates:
        _header(sheet, _rate_header(report, w["indicator"]))
        first = sheet.max_row + 1
        for i, rate in rates:
            sheet.append(_rate_row(report, indicator_label(report, i), i, rate))
        _format_rates(sheet, first)
    if tallies:
        if rates:
            sheet.append([])
        genders = list(next(iter(tallies))[1].by_gender)
        head = [w["indicator"], w["code"], w["count"], w["xlsx.mark"]]
        for g in genders:
            head += [group_label(w, g), w["xlsx.mark"]]
        _header(sheet, head)
        for i, tally in tallies:
            row: list[object] = [_text(indicator_label(report, i)), _text(i)]
            row += _count_cells(tally.count, report.min_cell)
            for g in genders:
                row += _count_cells(tally.by_gender[g], report.min_cell)
            sheet.append(row)
    _widths(sheet, (46, 30, 10, 10, 10, 12, 12, 16, 10))


def _population(sheet: Worksheet, report: Report) -> None:
    w = doc_words(report.locale)
    _header(sheet, [w["population"], w["code"], w["count"], w["xlsx.status"], w["xlsx.mark"]])
    for key, figure in report.population.items():
        status = _status_word(report, figure_status(figure))
        sheet.append([_text(w[f"population.{key}"]), key, figure_value(figure), status])
        if figure_value(figure) is None:
            sheet.cell(row=sheet.max_row, column=5).value = figure_text(figure, report.min_cell)
    _widths(sheet, (34, 16, 10, 16, 10))


def _count_row(report: Report, group: str, label: str, code: str, figure: Figure) -> list[object]:
    """A count in a breakdown sheet: in the count column, its status and mark at the end."""
    value = figure_value(figure)
    mark = "" if value is not None else figure_text(figure, report.min_cell)
    status = _status_word(report, figure_status(figure))
    return [
        _text(group),
        _text(label),
        _text(code),
        None,
        None,
        None,
        value,
        None,
        None,
        status,
        mark,
    ]


def _breakdown_sheet(sheet: Worksheet, report: Report, dim: str) -> None:
    """Long form: one row per group and figure, so no table is ever too wide."""
    w = doc_words(report.locale)
    groups = report.breakdowns[dim]
    head = _rate_header(report, w["xlsx.group"])
    head.insert(1, w["indicator"])
    head.insert(6, w["count"])
    _header(sheet, head)
    first = sheet.max_row + 1
    for name, group in groups.items():
        label = group_label(w, name)
        for key, figure in group.population.items():
            sheet.append(
                _count_row(report, label, w[f"population.{key}"], f"population.{key}", figure)
            )
        for i, indicator in group.indicators.items():
            if isinstance(indicator, Rate):
                row = _rate_row(report, label, i, indicator)
                row.insert(1, _text(indicator_label(report, i)))
                row.insert(6, None)
                sheet.append(row)
            else:
                sheet.append(
                    _count_row(report, label, indicator_label(report, i), i, indicator.count)
                )
    for row in sheet.iter_rows(min_row=first, min_col=4, max_col=6):
        for cell in row:
            cell.number_format = _PERCENT
    _widths(sheet, (18, 46, 30, 10, 10, 10, 10, 12, 12, 16, 10))


def _definitions(sheet: Worksheet, report: Report) -> None:
    alignment = _openpyxl("openpyxl.styles").Alignment
    w = doc_words(report.locale)
    _header(sheet, [w["indicator"], w["code"], w["definitions"]])
    for code, definition in report.definitions.items():
        sheet.append(
            [
                _text(definition.label(report.locale)),
                _text(code),
                _text(definition.text(report.locale)),
            ]
        )
        sheet.cell(row=sheet.max_row, column=3).alignment = alignment(wrap_text=True)
    _widths(sheet, (40, 30, 100))
