"""``followups due`` and ``at-risk`` print the same bytes whether the lines come from one query or not.

docs/architecture.md, Stored check-ins: on SQL the staff lists read the reach
of the listed people in the list's own query (``StaffListsSource``). Here the
same SQLite database answers both ways, the reference path forced by a
storage capability nobody offers, for every format and option; names hold
what output safety must neutralise.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol, runtime_checkable

import attrs
import pytest
from click.testing import CliRunner

from insertion_core import PersonalData, get_plugin_manager
from insertion_core import worklists as worklists_module
from insertion_core.cli import make_cli
from insertion_core.default_plugins.sql import SqlStorage
from insertion_core.domain import AttendanceRecord, AttendanceStatus, Channel

from .outcomes.sample_site import SAMPLE_SITE, load_sample_site

AS_OF = "2026-09-15"
NAMES = ["=cmd|' /C calc'!A0", "Zoé\x1b[31m", 'O\'Hara; "Jo"', None, "-1", "\u202eevil"]


@runtime_checkable
class _OfferedByNobody(Protocol):
    def never_offered(self) -> None: ...


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The sample site with counsellors, channels, absences lately and tricky personal data."""
    programme, journeys = load_sample_site()
    day = dt.date.fromisoformat(AS_OF)
    changed = []
    for n, journey in enumerate(journeys):
        participant = attrs.evolve(journey.participant, counsellor=f"c{n % 3}" if n % 4 else None)
        contacts = tuple(
            attrs.evolve(c, channel=list(Channel)[k % len(Channel)] if (n + k) % 3 else None)
            for k, c in enumerate(journey.contacts)
        )
        attendance = journey.attendance
        if journey.exit is None and n % 2:
            absent = [
                AttendanceRecord(day - dt.timedelta(days=d), AttendanceStatus.ABSENT)
                for d in (1, 3)
            ]
            attendance = (*attendance, *absent)
        changed.append(
            attrs.evolve(journey, participant=participant, contacts=contacts, attendance=attendance)
        )
    url = f"sqlite:///{tmp_path_factory.mktemp('one-query') / 'site.db'}"
    storage = SqlStorage.open(url)
    storage.initialise()
    with storage.unit_of_work() as uow:
        uow.programmes.save(programme, (SAMPLE_SITE / "programme.toml").read_text(encoding="utf-8"))
        uow.journeys.save_many(programme.id, changed)
        for n, journey in enumerate(changed[::2]):
            first, last = NAMES[n % len(NAMES)], NAMES[(n + 1) % len(NAMES)]
            phone = "+33 6 12" if n % 2 else None
            personal = PersonalData(journey.participant_id, first, last, f"p{n}@example.org", phone)
            uow.personal.save(programme.id, personal)
        uow.commit()
    storage.close()
    return url


COMMANDS = [
    ["due"],
    ["due", "--no-names"],
    ["due", "--overdue"],
    ["due", "--counsellor", "c1"],
    ["due", "--counsellor", "nobody"],
    ["due", "--csv-dialect", "plain"],
    ["at-risk"],
    ["at-risk", "--no-names"],
    ["at-risk", "--counsellor", "c0"],
]


CASES = [
    pytest.param(command, fmt, id=f"{' '.join(command)} {fmt}")
    for command in COMMANDS
    for fmt in ("text", "json", "csv")
    if fmt == "csv" or "--csv-dialect" not in command
]


@pytest.mark.parametrize(("command", "fmt"), CASES)
def test_one_query_and_the_reference_print_the_same_bytes(
    db: str, command: list[str], fmt: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    args = ["--db", db, "followups", command[0], "--programme", "sample-site", "--as-of", AS_OF]
    args += [*command[1:], "--format", fmt]
    cli = make_cli(get_plugin_manager(load_entry_points=False))
    fast = CliRunner().invoke(cli, args, catch_exceptions=False)
    monkeypatch.setattr(worklists_module, "StaffListsSource", _OfferedByNobody)
    reference = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert (fast.exit_code, fast.stdout_bytes) == (0, reference.stdout_bytes)
    assert reference.stdout.count("\n") >= 2 or "nobody" in command
