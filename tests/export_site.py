"""A small site for the export tests: three participants with personal data, phases, an exit
with a contract, follow-up contacts with notes, built through the Workspace API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from insertion_core import (
    Exit,
    FollowUpContact,
    Participant,
    PersonalData,
    Situation,
    Workspace,
)
from insertion_core.domain import Channel, Contract, ExitReason, Gender

from .conftest import PROGRAMME_TOML

#: 40 bytes: a usable key.
KEY = b"k3y-of-the-site-0123456789abcdef-42-0042"
OTHER_KEY = b"another-key-of-another-site-0123456789ab"

#: Every personal value of the site: none may appear in an export.
PERSONAL_VALUES = (
    "Alice",
    "Martin",
    "alice.martin@example.org",
    "06 11 22 33 44",
    "Bruno",
    "Durand",
    "rappeler après 18h",
    "QP095001",
    "cip-7",
    "2005-03-14",
)


def build_site(workspace: Workspace) -> None:
    """The programme ``gonesse`` with A1 (exited, followed up), B2 (in programme), C3."""
    d = dt.date
    workspace.save_programme(PROGRAMME_TOML, "gonesse.toml")
    alice = Participant(
        "A1",
        "=C1",
        d(2025, 1, 6),
        birth_date=d(2005, 3, 14),
        gender=Gender.F,
        qpv=True,
        qpv_code="QP095001",
        counsellor="cip-7",
    )
    personal = PersonalData("A1", "Alice", "Martin", "alice.martin@example.org", "06 11 22 33 44")
    workspace.enrol("gonesse", alice, personal)
    workspace.start_next_phase("gonesse", "A1", d(2025, 1, 20))
    workspace.record_exit(
        "gonesse",
        "A1",
        Exit(
            d(2025, 5, 2),
            ExitReason.COMPLETED,
            Situation("employment"),
            Contract.CDD,
            Decimal("6.50"),
            True,
        ),
    )
    for day, family in ((d(2025, 6, 3), "unreachable"), (d(2025, 8, 1), "training")):
        contact = FollowUpContact(
            day, Situation(family), channel=Channel.PHONE, note="rappeler après 18h"
        )
        workspace.record_followup("gonesse", "A1", contact)
    bruno = Participant("B2", "C2", d(2025, 9, 1), birth_date=d(2007, 11, 30))
    workspace.enrol("gonesse", bruno, PersonalData("B2", "Bruno", "Durand"))
    workspace.enrol("gonesse", Participant("C3", "C2", d(2025, 9, 1)))
