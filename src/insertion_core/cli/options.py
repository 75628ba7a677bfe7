"""Options and parameter types shared by several commands."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click

__all__ = [
    "DATE",
    "ISO_DATE",
    "MIN_CELL_MAX",
    "as_of_option",
    "csv_dialect_option",
    "programme_option",
    "split_names",
    "text_or_json_option",
    "write_output",
]

#: The largest k of ``--min-cell``: ``reporting.min_cell``'s range in the programme file
#: (kept here so that ``--help`` loads no domain code; a test checks they agree).
MIN_CELL_MAX = 1000


class DateParam(click.ParamType[dt.date]):
    """A day written as the importer reads it: ``YYYY-MM-DD`` or ``D/M/YYYY``, a time part ignored.

    One parser for files and the command line, so a date a site types in its
    spreadsheet is accepted by ``--as-of``, ``--from`` and ``--to`` too.
    """

    name = "date"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        if isinstance(value, dt.date):
            return value
        from ..importing.values import parse_date  # loaded only when a date is given

        try:
            return parse_date(str(value).strip())
        except ValueError as error:
            self.fail(str(error), param, ctx)


DATE = DateParam()
#: The former name of :data:`DATE`, when dates on the command line were ISO only.
ISO_DATE = DATE

programme_option = click.option(
    "--programme", "programme_id", required=True, metavar="ID", help="The programme's id."
)
as_of_option = click.option(
    "--as-of",
    type=DATE,
    default=None,
    help="The day to compute for (YYYY-MM-DD or D/M/YYYY); default today in the programme's "
    "timezone.",
)

text_or_json_option = click.option(
    "--format",
    "format_name",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)


def split_names(values: Iterable[str]) -> tuple[str, ...]:
    """``--set a --set b,c`` -> (a, b, c): repeated options and comma lists alike."""
    return tuple(name.strip() for value in values for name in value.split(",") if name.strip())


def write_output(text: str | bytes, output: Path | None) -> None:
    """Write to ``output`` (saying where on standard error) or to standard output.

    Bytes (an xlsx workbook) are written as they are.
    """
    if output is None:
        if isinstance(text, bytes):
            click.echo(text, nl=False)  # click writes bytes to the binary stream
            return
        click.echo(text, nl=not text.endswith("\n"))
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, bytes):
        output.write_bytes(text)
    else:
        output.write_text(text, encoding="utf-8")
    click.echo(f"Written to {output}", err=True)


csv_dialect_option = click.option(
    "--csv-dialect",
    type=click.Choice(["locale", "plain"]),
    default=None,
    help="CSV for the programme's spreadsheets (locale: for fr, ';', decimal comma, "
    "UTF-8 with BOM, rounded) or RFC 4180 at full precision (plain); "
    "default the programme's reporting.csv_dialect.",
)


#: ``--format text|json``, for a command whose output is one thing shown or handed to a program.
text_or_json_option = click.option(
    "--format",
    "format_name",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="Output format.",
)
