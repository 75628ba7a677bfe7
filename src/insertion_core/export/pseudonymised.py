"""The pseudonymised export: one CSV row per participant, for a network's analysts.

What a row holds and leaves out is listed in docs/data-formats.md (The
pseudonymised export): a keyed pseudonym instead of the participant id, the
year of birth instead of the day, optionally months instead of days, and no
name, contact detail, source id, counsellor, QPV code or free text. Journeys
are read through the Workspace one at a time and each row written as soon as
it is made, so memory stays bounded whatever the size of the programme.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, TextIO

import attrs

from ..domain.journey import Journey
from ..safety import write_csv
from .key import PseudonymKey

if TYPE_CHECKING:
    from ..workspace import Workspace

__all__ = ["EXPORT_COLUMNS", "ExportSummary", "export_row", "metadata_line", "write_export"]

#: The columns of the export, in order (docs/data-formats.md, The pseudonymised export).
EXPORT_COLUMNS = (
    "pseudonym",
    "key_id",
    "cohort_id",
    "birth_year",
    "gender",
    "education_level",
    "qpv",
    "status_at_entry",
    "scheme",
    "referrer",
    "entry_date",
    "phase",
    "exit_date",
    "exit_reason",
    "destination",
    "contract",
    "contract_months",
    "qualifying",
    "followup_contacts",
    "last_contact_date",
    "last_situation",
)


@attrs.frozen
class ExportSummary:
    """What was exported: how many participants, of which programme, under which key."""

    programme_id: str
    participants: int
    key_id: str
    month_dates: bool


def metadata_line(programme_id: str, key: PseudonymKey, month_dates: bool) -> str:
    """The export's first line: what it is, the programme, the key's id and the date precision."""
    return (
        f"# insertion-core pseudonymised export; programme={programme_id}; "
        f"key_id={key.key_id}; dates={'month' if month_dates else 'day'}\n"
    )


def write_export(
    workspace: Workspace,
    programme_id: str,
    key: PseudonymKey,
    out: TextIO,
    *,
    month_dates: bool = False,
) -> ExportSummary:
    """Write the programme's pseudonymised export to ``out``: the metadata line, the header,
    then one row per participant in participant id order, streamed.

    :raises NotFoundError: no such programme.
    """
    programme = workspace.programme(programme_id)
    out.write(metadata_line(programme.id, key, month_dates))
    rows = (
        export_row(programme.id, journey, key, month_dates=month_dates)
        for journey in workspace.journeys(programme.id)
    )
    count = write_csv(out, EXPORT_COLUMNS, rows)
    return ExportSummary(programme.id, count, key.key_id, month_dates)


def export_row(
    programme_id: str, journey: Journey, key: PseudonymKey, *, month_dates: bool = False
) -> list[object]:
    """One participant's row, in the order of :data:`EXPORT_COLUMNS`."""
    p = journey.participant
    exit_ = journey.exit
    contacts = sorted(journey.contacts, key=lambda c: c.contact_date)
    last = contacts[-1] if contacts else None
    phase = max(journey.phases, key=lambda progress: progress.started_on, default=None)

    def day(value: dt.date | None) -> str | None:
        if value is None:
            return None
        return f"{value:%Y-%m}" if month_dates else value.isoformat()

    return [
        key.pseudonym(programme_id, p.participant_id),
        key.key_id,
        p.cohort_id,
        None if p.birth_date is None else p.birth_date.year,
        _code(p.gender),
        _code(p.education_level),
        _flag(p.qpv),
        _code(p.status_at_entry),
        _code(p.scheme),
        _code(p.referrer),
        day(p.entry_date),
        None if phase is None else phase.phase_id,
        day(None if exit_ is None else exit_.exit_date),
        None if exit_ is None else exit_.reason.value,
        None if exit_ is None else exit_.destination.code,
        None if exit_ is None else _code(exit_.contract),
        None if exit_ is None else _months(exit_.contract_months),
        None if exit_ is None else _flag(exit_.qualifying),
        len(contacts),
        day(None if last is None else last.contact_date),
        None if last is None else last.situation.code,
    ]


def _code(value: object) -> str | None:
    return None if value is None else str(getattr(value, "value", value))


def _flag(value: bool | None) -> str | None:
    return None if value is None else ("true" if value else "false")


def _months(value: Decimal | None) -> str | None:
    """``6``, ``6.5``: no trailing zeros, never an exponent."""
    return None if value is None else f"{value.normalize():f}"
