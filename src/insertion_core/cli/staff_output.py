"""What staff lists share on the command line: the ``--no-names`` option and the person's lines.

Every text goes through :func:`~insertion_core.safety.terminal_text`, every CSV
through :func:`~insertion_core.safety.csv_document`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import click

from ..safety import csv_document, terminal_text

if TYPE_CHECKING:
    from ..staff import Reach

__all__ = [
    "REACH_COLUMNS",
    "format_option",
    "names_option",
    "reach_lines",
    "staff_csv",
]

format_option = click.option(
    "--format",
    "format_name",
    type=click.Choice(["text", "json", "csv"]),
    default="text",
    show_default=True,
    help="Output format.",
)

names_option = click.option(
    "--no-names",
    "no_names",
    is_flag=True,
    help="Leave out names, phones and e-mails (for a list that leaves the office).",
)

#: The CSV columns of a person's reach: personal ones, then the last contact and attempts.
REACH_COLUMNS = (
    "first_name",
    "last_name",
    "phone",
    "email",
    "last_contact_date",
    "last_contact_situation",
    "last_contact_channel",
    "attempts_since",
)


def staff_csv(
    rows: Sequence[dict[str, Any]],
    columns: Sequence[str],
    *,
    names: bool,
    locale: str | None = None,
) -> str:
    """The rows (``to_json_dict`` objects) as CSV, the last contact in three columns.

    ``locale`` None: RFC 4180 with ISO dates. ``fr``: what French spreadsheets
    open, ``;``, dates as 31/12/2026 and a byte order mark.
    """
    reach = [c for c in REACH_COLUMNS if names or not c.endswith(("_name", "phone", "email"))]
    header = [*columns, *reach]
    french = locale == "fr"
    flat = []
    for row in rows:
        contact = row.get("last_contact") or {}
        cells = {**row, **{f"last_contact_{k}": v for k, v in contact.items()}}
        flat.append([_french_date(cells.get(c)) if french else cells.get(c) for c in header])
    if locale is None:
        return csv_document(header, flat)
    return csv_document(
        header, flat, delimiter=";" if french else ",", decimal_comma=french, bom=True
    )


def _french_date(value: Any) -> Any:
    """An ISO date as 31/12/2026; anything else as it is."""
    if isinstance(value, str) and len(value) == 10 and value[4] == "-":
        try:
            return dt.date.fromisoformat(value).strftime("%d/%m/%Y")
        except ValueError:
            return value
    return value


def reach_lines(reach: Reach, indent: str = "    ") -> list[str]:
    """The person (unless names are left out) and the last contact, each a line of text."""
    lines = []
    personal = reach.personal
    if reach.names:
        name = " ".join(
            n for n in (personal and personal.first_name, personal and personal.last_name) if n
        )
        phone = personal.phone if personal else None
        email = personal.email if personal else None
        lines.append(f"{name or '(no name)'}  {phone or 'no phone'}  {email or 'no e-mail'}")
    contact = reach.last_contact
    if contact is None:
        last = "no contact yet"
    else:
        channel = f" ({contact.channel.value})" if contact.channel is not None else ""
        last = f"last contact {contact.contact_date.isoformat()} {contact.situation.code}{channel}"
    if reach.attempts_since:
        plural = "attempt" if reach.attempts_since == 1 else "attempts"
        last += f", {reach.attempts_since} unreachable {plural} since"
    lines.append(last)
    return [indent + terminal_text(line) for line in lines]
