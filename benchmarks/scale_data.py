"""Generated participants at national scale, written as the canonical CSV files.

``write(count, directory)`` writes participants.csv, exits.csv,
followups.csv and attendance.csv (docs/data-formats.md) for ``count``
made-up participants, one row at a time, so memory does not grow with
``count``; 10^6 participants take seconds. The same seed gives the same
files. About 93% of the participants have left by :data:`AS_OF`, with about
2.4 follow-up contacts per participant (near the 1-, 3- and 6-month
check-ins); about a third of those still in the programme have a few
absences in the last two weeks (the early warning's window). Every coded
column holds real codes, and no date is later than :data:`AS_OF`. Nobody in
them is real.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
from pathlib import Path
from typing import NamedTuple

from insertion_core.importing.schema import COLUMNS

__all__ = ["AS_OF", "PROGRAMME_ID", "PROGRAMME_TOML", "Counts", "add_months", "write"]

PROGRAMME_ID = "scale"
PROGRAMME_TOML = """\
[programme]
id = "scale"
name = "National scale benchmark"

[followup]
months = 6
checkpoints = [1, 3, 6]

[outcomes]
positive = ["training", "employment"]
"""
MONTHS = 6
CHECKPOINTS = (1, 3, 6)
SEED = 20_260_630
AS_OF = dt.date(2026, 6, 30)
_FIRST_ENTRY = dt.date(2019, 1, 7)

#: The canonical columns a site fills in; no e-mail, phone or note (personal data).
PARTICIPANT_COLUMNS = tuple(
    c for c in COLUMNS["participants"] if c not in ("qpv_code", "email", "phone")
)
EXIT_COLUMNS = COLUMNS["exits"]
FOLLOWUP_COLUMNS = tuple(c for c in COLUMNS["followups"] if c != "note")
ATTENDANCE_COLUMNS = COLUMNS["attendance"]

_GENDERS = ("F", "F", "F", "M", "M", "M", "M", "X", "")
_EDUCATION = ("none", "none", "1", "2", "3", "3", "4", "")
_STATUS = ("unemployed", "unemployed", "long_term_unemployed", "inactive", "in_education")
_SCHEMES = ("cej", "cej", "pacea", "rsa", "none")
_REFERRERS = ("mission_locale", "mission_locale", "france_travail", "plie", "self", "school")
_REASONS = ("completed",) * 12 + ("early_positive",) * 3 + ("dropout",) * 3
_REASONS += ("other", "neutralised")
_FAMILIES = ("employment",) * 4 + ("training",) * 3 + ("job_search",) * 3
_FAMILIES += ("inactive", "unreachable", "unreachable", "civic_service", "other")
_CONTRACTS = ("cdi", "cdd", "cdd", "interim", "apprenticeship", "subsidised")
_CHANNELS = ("phone", "phone", "phone", "sms", "email", "visit")
_SYLLABLES = ("ka", "li", "mo", "ra", "ne", "so", "ti", "du", "ya", "el", "in", "ou", "za")


class Counts(NamedTuple):
    """How many rows each file holds."""

    participants: int
    exits: int
    contacts: int
    attendance: int = 0


def add_months(day: dt.date, months: int) -> dt.date:
    """The library's calendar rule: the day is clamped to the month's end."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month_end = dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1) - dt.timedelta(days=1)
    return min(dt.date(year, month + 1, 1) + dt.timedelta(days=day.day - 1), month_end)


# Days are handled as indexes into these tables: a date's ISO text and the
# check-in days are looked up, not computed, which keeps 10^6 participants
# to seconds.
_BASE = _FIRST_ENTRY - dt.timedelta(days=26 * 365)
_DAYS = [(_BASE + dt.timedelta(days=n)).isoformat() for n in range((AS_OF - _BASE).days + 1)]
_FIRST = (_FIRST_ENTRY - _BASE).days
_LAST = len(_DAYS) - 1  # AS_OF
#: checkpoint months -> for each day from the first entry on, the day ``months`` later.
_LATER = {
    months: [
        (add_months(_BASE + dt.timedelta(days=n), months) - _BASE).days
        for n in range(_FIRST, _LAST + 1)
    ]
    for months in CHECKPOINTS
}


class _Draw:
    """Random draws on one seeded generator, through ``random()`` (faster than ``choice``)."""

    def __init__(self, seed: int) -> None:
        self.random = random.Random(seed).random

    def pick(self, values: tuple[str, ...]) -> str:
        return values[int(self.random() * len(values))]

    def below(self, n: int) -> int:
        return int(self.random() * n)


def _situation(draw: _Draw) -> tuple[str, str, str, str]:
    """A situation code and the columns that go with it: contract, months, qualifying."""
    family = draw.pick(_FAMILIES)
    contract = months = qualifying = ""
    if family == "employment":
        contract = draw.pick(_CONTRACTS)
        if contract in ("cdd", "interim"):
            months = draw.pick(("1", "3", "6", "12", "18"))
    elif family == "training":
        qualifying = draw.pick(("oui", "non", ""))
    if family in ("employment", "training") and draw.random() < 0.35:
        family += ".digital"
    return family, contract, months, qualifying


def write(count: int, directory: Path, seed: int = SEED) -> Counts:
    """Write the canonical files for ``count`` participants into ``directory``, row by row."""
    directory.mkdir(parents=True, exist_ok=True)
    draw = _Draw(seed)
    chance, pick, below = draw.random, draw.pick, draw.below
    exits = contacts = attendance = 0
    span = _LAST - _FIRST
    with (
        (directory / "participants.csv").open("w", newline="", encoding="utf-8") as p_file,
        (directory / "exits.csv").open("w", newline="", encoding="utf-8") as e_file,
        (directory / "followups.csv").open("w", newline="", encoding="utf-8") as f_file,
        (directory / "attendance.csv").open("w", newline="", encoding="utf-8") as a_file,
    ):
        participant_row = csv.writer(p_file).writerow
        exit_row = csv.writer(e_file).writerow
        followup_row = csv.writer(f_file).writerow
        attendance_row = csv.writer(a_file).writerow
        participant_row(PARTICIPANT_COLUMNS)
        exit_row(EXIT_COLUMNS)
        followup_row(FOLLOWUP_COLUMNS)
        attendance_row(ATTENDANCE_COLUMNS)
        for number in range(1, count + 1):
            pid = f"P{number:07d}"
            entry = _FIRST + below(span)
            participant_row(
                (
                    pid,
                    "C" + _DAYS[entry][:7],
                    _DAYS[entry],
                    _DAYS[entry - 16 * 365 - below(10 * 365)],
                    pick(_GENDERS),
                    pick(_EDUCATION),
                    "oui" if chance() < 0.3 else "non",
                    pick(_STATUS),
                    pick(_SCHEMES),
                    pick(_REFERRERS),
                    f"cip-{1 + below(199):03d}",
                    pick(_SYLLABLES).title() + pick(_SYLLABLES),
                    pick(_SYLLABLES).title() + pick(_SYLLABLES) + pick(_SYLLABLES),
                )
            )
            room = _LAST - entry
            if room < 30 or chance() >= 0.945:  # still in the programme
                if chance() < 0.3:  # with a few absences lately
                    first = max(entry, _LAST - 13)
                    slots = 2 * (_LAST - first + 1)
                    for slot in sorted({below(slots) for _ in range(1 + below(5))}):
                        status = "excused" if chance() < 0.2 else "absent"
                        day = _DAYS[first + slot // 2]
                        attendance_row((pid, day, ("am", "pm")[slot % 2], status, ""))
                        attendance += 1
                continue
            exit_day = entry + 30 + below(min(room, 270) - 29)
            code, contract, months, qualifying = _situation(draw)
            exit_row((pid, _DAYS[exit_day], pick(_REASONS), code, contract, months, qualifying))
            exits += 1
            if chance() < 0.06:  # an interview on the day of the exit, which
                family = code.split(".")[0]  # may say the destination's sector
                if family in ("employment", "training") and chance() < 0.5:
                    family += ".digital"
                followup_row(
                    (pid, _DAYS[exit_day], family, contract, months, qualifying, pick(_CHANNELS))
                )
                contacts += 1
                if chance() < 0.5:
                    continue  # and nobody answered afterwards
            for checkpoint in CHECKPOINTS:
                if chance() >= 0.92:
                    continue  # nobody answered this check-in
                day = _LATER[checkpoint][exit_day - _FIRST] - 6 + below(19)
                if day > _LAST:
                    break
                followup_row((pid, _DAYS[day], *_situation(draw), pick(_CHANNELS)))
                contacts += 1
    return Counts(count, exits, contacts, attendance)
