"""A test-only loader of the sample site (tests/data/sample-site) (plain dialect: ``,``, UTF-8 BOM, ISO dates).

The real importer is not this: this reads just enough to feed the outcome engine.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from decimal import Decimal
from typing import Any

from insertion_core.domain.codes import (
    Contract,
    EducationLevel,
    ExitReason,
    Gender,
    StatusAtEntry,
    parse_bool,
    parse_code,
)
from insertion_core.domain.journey import Journey
from insertion_core.domain.model import Exit, FollowUpContact, Participant
from insertion_core.domain.programme import Programme
from insertion_core.programme_file import load_programme

from ..paths import SAMPLE_SITE


def _rows(name: str) -> list[dict[str, str]]:
    with (SAMPLE_SITE / name).open(encoding="utf-8-sig", newline="") as handle:
        return [
            {k.strip().lower(): (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(handle)
        ]


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def load_sample_site() -> tuple[Programme, list[Journey]]:
    """The sample site's programme and every participant's journey."""
    programme = load_programme(SAMPLE_SITE / "programme.toml")
    families = programme.outcomes.situation_families
    journeys: dict[str, Journey] = {}
    for row in _rows("participants.csv"):
        participant = Participant(
            participant_id=row["participant_id"],
            cohort_id=row["cohort_id"],
            entry_date=dt.date.fromisoformat(row["entry_date"]),
            birth_date=_date(row.get("birth_date", "")),
            gender=parse_code(Gender, row["gender"]) if row.get("gender") else None,
            education_level=(
                parse_code(EducationLevel, row["education_level"])
                if row.get("education_level")
                else None
            ),
            qpv=parse_bool(row["qpv"]) if row.get("qpv") else None,
            status_at_entry=(
                parse_code(StatusAtEntry, row["status_at_entry"])
                if row.get("status_at_entry")
                else None
            ),
        )
        journeys[participant.participant_id] = Journey(participant)
    for row in _rows("exits.csv"):
        exit_ = Exit(
            exit_date=dt.date.fromisoformat(row["exit_date"]),
            reason=parse_code(ExitReason, row["exit_reason"]),
            destination=families.parse(row["destination"]),
            contract=parse_code(Contract, row["contract"]) if row.get("contract") else None,
            contract_months=(
                Decimal(row["contract_months"].replace(",", "."))
                if row.get("contract_months")
                else None
            ),
            qualifying=parse_bool(row["qualifying"]) if row.get("qualifying") else None,
        )
        pid = row["participant_id"]
        journeys[pid] = Journey(journeys[pid].participant, exit=exit_)
    contacts: dict[str, list[FollowUpContact]] = {}
    for row in _rows("followups.csv"):
        contacts.setdefault(row["participant_id"], []).append(
            FollowUpContact(
                contact_date=dt.date.fromisoformat(row["contact_date"]),
                situation=families.parse(row["situation"]),
            )
        )
    for pid, found in contacts.items():
        old = journeys[pid]
        journeys[pid] = Journey(old.participant, exit=old.exit, contacts=tuple(found))
    return programme, list(journeys.values())


def expected(name: str) -> Any:
    """One of the sample site's expected JSON files."""
    return json.loads((SAMPLE_SITE / name).read_text(encoding="utf-8"))
