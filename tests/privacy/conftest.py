"""A site to apply retention and the people's rights to: memory and a SQLite file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from insertion_core import Workspace
from insertion_core.domain.codes import AttendanceStatus, Channel, Contract, ExitReason, HalfDay
from insertion_core.domain.journey import Journey
from insertion_core.domain.model import (
    AttendanceRecord,
    Exit,
    FollowUpContact,
    Participant,
    PersonalData,
    PhaseProgress,
)
from insertion_core.domain.situations import Sector, Situation
from insertion_core.plugins import get_plugin_manager

D = dt.date

PROGRAMME = """\
[programme]
id = "site"
name = "Site"

[[phases]]
id = "accueil"
name = "Accueil"

[followup]
months = 6
checkpoints = [1, 3, 6]

[outcomes]
positive = ["employment", "training"]
"""

#: Values found nowhere else in a test database: what the byte and table searches look for.
FIRST, LAST = "Zéphyrine", "Quatremarre"
EMAIL, PHONE = "zephyrine.q@example.org", "+33 6 71 42 93 58"
NOTE, REASON = "Vue au forum Wagnerbrück", "Convocation Kerjean"


LAST_CONTACT = D(2024, 12, 30)


def journey(participant_id: str = "ZQX-4711", *, last_contact: dt.date = LAST_CONTACT) -> Journey:
    """Exit 2024-06-28 (follow-up ends 2024-12-28), a noted contact, an excused absence."""
    return Journey(
        participant=Participant(
            participant_id, "2024-A", D(2024, 1, 8), birth_date=D(2003, 5, 17), counsellor="cns-7"
        ),
        phases=(PhaseProgress("accueil", D(2024, 1, 8)),),
        exit=Exit(
            D(2024, 6, 28),
            ExitReason.EARLY_POSITIVE,
            Situation("employment", Sector.DIGITAL),
            Contract.CDD,
            Decimal("6.5"),
            True,
        ),
        contacts=(
            FollowUpContact(
                D(2024, 7, 29), Situation("employment"), channel=Channel.PHONE, note=NOTE
            ),
            FollowUpContact(last_contact, Situation("training")),
        ),
        attendance=(
            AttendanceRecord(D(2024, 1, 9), AttendanceStatus.EXCUSED, HalfDay.AM, reason=REASON),
            AttendanceRecord(D(2024, 1, 10), AttendanceStatus.PRESENT),
        ),
    )


def personal(participant_id: str = "ZQX-4711") -> PersonalData:
    return PersonalData(participant_id, FIRST, LAST, EMAIL, PHONE)


def store(workspace: Workspace, *journeys: Journey, names: bool = True) -> None:
    """Store the journeys (and personal data of each, unless ``names`` is False) as an import would."""
    with workspace.storage.unit_of_work() as uow:
        for one in journeys:
            uow.journeys.save("site", one)
            if names:
                uow.personal.save("site", personal(one.participant_id))
        uow.commit()


@pytest.fixture(params=["memory", "sqlite"])
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    """A workspace with the programme ``site`` loaded."""
    url = "memory://" if request.param == "memory" else f"sqlite:///{tmp_path / 'site.db'}"
    pm = get_plugin_manager(load_entry_points=False)
    with Workspace.open(url, plugin_manager=pm, initialise=True) as workspace:
        workspace.save_programme(PROGRAMME)
        yield workspace
