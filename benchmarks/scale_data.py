"""Generated participants at national scale, written as the canonical CSV files.

``write(count, directory)`` writes participants.csv, exits.csv and
followups.csv (docs/data-formats.md) for ``count`` made-up participants,
one row at a time, so memory does not grow with ``count``. The same seed
gives the same files. About 93% of the participants have left by
:data:`AS_OF`, with about 2.4 follow-up contacts per participant (near the
1-, 3- and 6-month check-ins), real codes for every coded column, and
dates no later than :data:`AS_OF`. Nobody in them is real.
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
_ENTRY_SPAN = (AS_OF - _FIRST_ENTRY).days

#: The canonical columns a site fills in; no e-mail, phone or note (personal data).
PARTICIPANT_COLUMNS = tuple(
    c for c in COLUMNS["participants"] if c not in ("qpv_code", "email", "phone")
)
EXIT_COLUMNS = COLUMNS["exits"]
FOLLOWUP_COLUMNS = tuple(c for c in COLUMNS["followups"] if c != "note")

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


def add_months(day: dt.date, months: int) -> dt.date:
    """The library's calendar rule: the day is clamped to the month's end."""
    year, month = divmod(day.year * 12 + day.month - 1 + months, 12)
    month_end = dt.date(year + (month + 1) // 12, (month + 1) % 12 + 1, 1) - dt.timedelta(days=1)
    return min(dt.date(year, month + 1, 1) + dt.timedelta(days=day.day - 1), month_end)


def _situation(rng: random.Random) -> tuple[str, dict[str, str]]:
    """A situation code and the columns that go with it (contract, qualifying)."""
    family = rng.choice(_FAMILIES)
    extra = {"contract": "", "contract_months": "", "qualifying": ""}
    if family == "employment":
        contract = rng.choice(_CONTRACTS)
        extra["contract"] = contract
        if contract in ("cdd", "interim"):
            extra["contract_months"] = str(rng.choice((1, 3, 6, 12, 18)))
    elif family == "training":
        extra["qualifying"] = rng.choice(("oui", "non", ""))
    if family in ("employment", "training") and rng.random() < 0.35:
        return f"{family}.digital", extra
    return family, extra


def write(count: int, directory: Path, seed: int = SEED) -> Counts:
    """Write the three canonical files for ``count`` participants into ``directory``."""
    directory.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    exits = contacts = 0
    with (
        (directory / "participants.csv").open("w", newline="", encoding="utf-8") as p_file,
        (directory / "exits.csv").open("w", newline="", encoding="utf-8") as e_file,
        (directory / "followups.csv").open("w", newline="", encoding="utf-8") as f_file,
    ):
        participants_out, exits_out, followups_out = (
            csv.writer(p_file),
            csv.writer(e_file),
            csv.writer(f_file),
        )
        participants_out.writerow(PARTICIPANT_COLUMNS)
        exits_out.writerow(EXIT_COLUMNS)
        followups_out.writerow(FOLLOWUP_COLUMNS)
        for number in range(1, count + 1):
            pid = f"P{number:07d}"
            entry = _FIRST_ENTRY + dt.timedelta(days=rng.randrange(_ENTRY_SPAN))
            birth = entry - dt.timedelta(days=rng.randrange(16 * 365, 26 * 365))
            participants_out.writerow(
                (
                    pid,
                    f"C{entry:%Y-%m}",
                    entry.isoformat(),
                    birth.isoformat(),
                    rng.choice(_GENDERS),
                    rng.choice(_EDUCATION),
                    "oui" if rng.random() < 0.3 else "non",
                    rng.choice(_STATUS),
                    rng.choice(_SCHEMES),
                    rng.choice(_REFERRERS),
                    f"cip-{rng.randrange(1, 200):03d}",
                    "".join(rng.choice(_SYLLABLES) for _ in range(2)).title(),
                    "".join(rng.choice(_SYLLABLES) for _ in range(3)).title(),
                )
            )
            room = (AS_OF - entry).days
            if room < 30 or rng.random() >= 0.945:
                continue  # still in the programme
            exit_day = entry + dt.timedelta(days=rng.randrange(30, min(room, 270) + 1))
            code, extra = _situation(rng)
            exits_out.writerow(
                (
                    pid,
                    exit_day.isoformat(),
                    rng.choice(_REASONS),
                    code,
                    extra["contract"],
                    extra["contract_months"],
                    extra["qualifying"],
                )
            )
            exits += 1
            if rng.random() < 0.06:  # an interview on the day of the exit, which
                family = code.split(".")[0]  # may say the destination's sector
                if family in ("employment", "training") and rng.random() < 0.5:
                    family += ".digital"
                followups_out.writerow(
                    (pid, exit_day.isoformat(), family, *extra.values(), rng.choice(_CHANNELS))
                )
                contacts += 1
                if rng.random() < 0.5:
                    continue  # and nobody answered afterwards
            for months in CHECKPOINTS:
                if rng.random() >= 0.92:
                    continue  # nobody answered this check-in
                day = add_months(exit_day, months) + dt.timedelta(days=rng.randint(-6, 12))
                if day > AS_OF:
                    break
                code, extra = _situation(rng)
                followups_out.writerow(
                    (
                        pid,
                        day.isoformat(),
                        code,
                        extra["contract"],
                        extra["contract_months"],
                        extra["qualifying"],
                        rng.choice(_CHANNELS),
                    )
                )
                contacts += 1
    return Counts(count, exits, contacts)
