"""Stored check-ins give the same counsellor's lists as the reference, after any writes.

docs/architecture.md, Stored check-ins: ``participant_checkins`` is derived
from exits, contacts and the programme's follow-up rules. The reference lists
of :mod:`insertion_core.outcomes.checkins` over every journey stay the oracle:
after imports, re-imports, corrections, single saves and programme changes,
the due list and the at-risk list read from the indexes equal them on the
edges of every check-in window (one day either side) and on attendance days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import attrs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, inspect, select

from insertion_core import Workspace
from insertion_core.default_plugins.sql import SqlStorage
from insertion_core.default_plugins.sql.migrate import downgrade, upgrade
from insertion_core.default_plugins.sql.tables import metadata
from insertion_core.domain import Journey, Programme
from insertion_core.domain.calendar import add_months
from insertion_core.domain.codes import AttendanceStatus, ExitReason
from insertion_core.domain.model import (
    AttendanceRecord,
    Exit,
    FollowUpContact,
    PersonalData,
)
from insertion_core.domain.programme import AttendancePolicy
from insertion_core.domain.situations import Situation
from insertion_core.outcomes import at_risk, due_checkins
from insertion_core.storage import BulkPersonalRead, BulkRead, StoredCheckinsSource

from ..outcomes.sample_site import SAMPLE_SITE, expected, load_sample_site
from ..strategies import journeys as journey_of
from ..strategies import populations, programmes, to_toml
from .pushdown_strategies import tricky_populations
from .pushdown_support import sql_database, stored

__all__ = ["sql_database"]

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
AS_OF = dt.date(2026, 9, 15)
CHECKINS = metadata.tables["participant_checkins"]
SITE_TEXT = (SAMPLE_SITE / "programme.toml").read_text(encoding="utf-8")


@contextmanager
def site(database: SqlStorage, batch_size: int = 1000) -> Iterator[SqlStorage]:
    """A storage holding the sample site, with its own programme text, until the block ends."""
    programme, journeys = load_sample_site()
    with database.engine.connect() as connection:
        transaction = connection.begin()
        try:
            storage = SqlStorage.on_connection(connection, batch_size=batch_size)
            with storage.unit_of_work() as uow:
                uow.programmes.save(programme, SITE_TEXT)
                uow.journeys.save_many(programme.id, journeys)
                uow.commit()
            yield storage
        finally:
            transaction.rollback()


def with_attendance(programme: Programme) -> str:
    """The programme's TOML text, its attendance rule included."""
    policy = programme.attendance
    return to_toml(programme) + (
        f"[attendance]\nat_risk_absences = {policy.at_risk_absences}\n"
        f"at_risk_days = {policy.at_risk_days}\n"
    )


def window_edges(programme: Programme, journeys: list[Journey]) -> list[dt.date]:
    """Every day a check-in window opens, is due, closes or turns late, and the day either side."""
    grace = programme.followup.grace_days
    late = grace + programme.followup.overdue_days
    found = set()
    for journey in journeys:
        if journey.exit is None:
            continue
        for months in programme.followup.checkpoints:
            due = add_months(journey.exit.exit_date, months)
            for edge in (due - dt.timedelta(days=grace), due, due + dt.timedelta(days=grace)):
                found.update(edge + dt.timedelta(days=d) for d in (-1, 0, 1))
            end = due + dt.timedelta(days=late)
            found.update(end + dt.timedelta(days=d) for d in (-1, 0, 1))
        found.update(c.contact_date for c in journey.contacts)
    return sorted(found)


@st.composite
def steps(draw: st.DrawFn, programme: Programme, known: list[str]) -> list[tuple[str, Any]]:
    """Writes after the first import: re-imports with corrections, single saves, rule changes."""
    found: list[tuple[str, Any]] = []
    for _ in range(draw(st.integers(1, 4), label="steps")):
        kind = draw(st.sampled_from(["reimport", "save", "rules"]))
        if kind == "rules":
            other = draw(programmes())
            attendance = AttendancePolicy(
                at_risk_absences=draw(st.integers(1, 4)), at_risk_days=draw(st.integers(2, 30))
            )
            found.append((kind, (other.followup, attendance)))
        elif kind == "save" and known:
            pid = draw(st.sampled_from(known))
            found.append((kind, draw(journey_of(programme, st.just(pid)))))
        else:
            new = draw(populations(programme, max_size=6))
            fixes = (
                [
                    draw(journey_of(programme, st.just(pid)))
                    for pid in draw(st.lists(st.sampled_from(known), max_size=4, unique=True))
                ]
                if known
                else []
            )
            found.append(("reimport", new + fixes))
    return found


@SETTINGS
@given(st.data())
def test_the_lists_from_stored_checkins_equal_the_reference_after_any_writes(
    sql_database: SqlStorage, data: st.DataObject
) -> None:
    programme = data.draw(programmes(), label="programme")
    first = data.draw(tricky_populations(programme), label="first import")
    batch_size = data.draw(st.sampled_from([1, 3, 1000]), label="batch_size")
    plan = data.draw(steps(programme, [j.participant_id for j in first]), label="steps")
    latest = {j.participant_id: j for j in first}
    final = programme
    with stored(sql_database, programme, first, batch_size) as storage:
        for kind, value in plan:
            with storage.unit_of_work() as uow:
                if kind == "rules":
                    final = attrs.evolve(final, followup=value[0], attendance=value[1])
                    uow.programmes.save(final, with_attendance(final))
                elif kind == "save":
                    uow.journeys.save(programme.id, value)
                    latest[value.participant_id] = value
                else:
                    uow.journeys.save_many(programme.id, value)
                    latest.update({j.participant_id: j for j in value})
                uow.commit()
        journeys = sorted(latest.values(), key=lambda j: j.participant_id)
        edges = window_edges(final, journeys)
        days = (
            data.draw(st.lists(st.sampled_from(edges), max_size=6), label="days") if edges else []
        )
        attended = sorted({r.date for j in journeys for r in j.attendance})
        if attended:
            days += data.draw(st.lists(st.sampled_from(attended), max_size=3), label="attended")
        days.append(data.draw(st.dates(dt.date(2016, 1, 1), dt.date(2029, 12, 31)), label="any"))
        with storage.unit_of_work() as uow:
            assert isinstance(uow, StoredCheckinsSource)
            due = [uow.due_checkins(final, day) for day in days]
            risky = [uow.at_risk(final, day) for day in days]
    assert due == [due_checkins(final, journeys, day) for day in days]
    assert risky == [at_risk(final, journeys, day) for day in days]


def test_every_workspace_write_keeps_the_stored_checkins_current(tmp_path: Path) -> None:
    """Enrol, phases, exit, follow-up and attendance each rewrite the participant's check-ins."""
    programme, journeys = load_sample_site()
    storage = SqlStorage.open(f"sqlite:///{tmp_path / 'site.db'}")
    storage.initialise()
    workspace = Workspace(storage)
    workspace.save_programme(SITE_TEXT)
    with storage.unit_of_work() as uow:
        uow.journeys.save_many(programme.id, journeys[1:])
        uow.commit()
    newcomer = journeys[0].participant
    workspace.enrol(programme.id, newcomer)
    for _ in programme.phases[1:]:
        workspace.start_next_phase(programme.id, newcomer.participant_id, newcomer.entry_date)
    left = newcomer.entry_date + dt.timedelta(days=40)
    workspace.record_attendance(
        programme.id,
        newcomer.participant_id,
        AttendanceRecord(newcomer.entry_date + dt.timedelta(days=3), AttendanceStatus.ABSENT),
    )
    written = [newcomer.entry_date + dt.timedelta(days=4)]
    exit_ = Exit(left, ExitReason.COMPLETED, Situation("employment", "other"))
    workspace.record_exit(programme.id, newcomer.participant_id, exit_)
    due = add_months(left, programme.followup.checkpoints[0])
    days = [*written, left, due, due + dt.timedelta(days=programme.followup.grace_days + 1)]
    before = _lists(workspace, programme, days)
    assert any(d.participant_id == newcomer.participant_id for found in before[0] for d in found)
    workspace.record_followup(
        programme.id,
        newcomer.participant_id,
        FollowUpContact(due, Situation("employment", "other")),
    )
    after = _lists(workspace, programme, days)
    assert not any(d.participant_id == newcomer.participant_id for found in after[0] for d in found)
    storage.close()


def _lists(workspace: Workspace, programme: Programme, days: list[dt.date]) -> tuple[Any, Any]:
    """The stored lists on each day, checked against the reference over every journey."""
    journeys = list(workspace.journeys(programme.id))
    due = [workspace.due_checkins(programme.id, as_of=day) for day in days]
    risky = [workspace.at_risk(programme.id, as_of=day) for day in days]
    assert due == [due_checkins(programme, journeys, day) for day in days]
    assert risky == [at_risk(programme, journeys, day) for day in days]
    return due, risky


def test_the_sample_site_due_list_from_the_index_is_the_expected_one(
    sql_database: SqlStorage,
) -> None:
    programme, _ = load_sample_site()
    with site(sql_database) as storage, storage.unit_of_work() as uow:
        assert isinstance(uow, StoredCheckinsSource)
        due = uow.due_checkins(programme, AS_OF)
    assert [item.to_json_dict() for item in due] == expected("expected-due-2026-09-15.json")


def test_the_upgrade_derives_the_checkins_of_data_stored_before(tmp_path: Path) -> None:
    programme, journeys = load_sample_site()
    storage = SqlStorage.open(f"sqlite:///{tmp_path / 'old.db'}")
    storage.initialise()
    workspace = Workspace(storage)
    workspace.save_programme(SITE_TEXT)
    with storage.unit_of_work() as uow:
        uow.journeys.save_many(programme.id, journeys)
        uow.commit()
    with storage.engine.begin() as connection:  # back to 0004: the data without its check-ins
        downgrade(connection, "0004")
        assert "participant_checkins" not in inspect(connection).get_table_names()
        upgrade(connection)
    with storage.engine.connect() as connection:
        count = connection.execute(select(func.count()).select_from(CHECKINS)).scalar()
    exited = [j for j in journeys if j.exit is not None and j.exit.reason != ExitReason.NEUTRALISED]
    assert count == len(exited) * len(programme.followup.checkpoints)
    for day in (*window_edges(programme, journeys)[::7], AS_OF):
        assert workspace.due_checkins(programme.id, as_of=day) == due_checkins(
            programme, journeys, day
        )
    due = workspace.due_checkins(programme.id, as_of=AS_OF)
    assert [item.to_json_dict() for item in due] == expected("expected-due-2026-09-15.json")
    storage.close()


def test_the_staff_lists_read_the_listed_participants_in_batches(sql_database: SqlStorage) -> None:
    """``get_many`` gives what ``get`` gives for each participant, leaving out the unknown ones."""
    programme, journeys = load_sample_site()
    ids = [j.participant_id for j in journeys]
    with site(sql_database, batch_size=3) as storage:
        with storage.unit_of_work() as uow:
            uow.personal.save(programme.id, PersonalData(ids[1], "Ana", "Martinez", None, "0612"))
            uow.commit()
        with storage.unit_of_work() as uow:
            assert isinstance(uow.journeys, BulkRead)
            assert isinstance(uow.personal, BulkPersonalRead)
            wanted = [*ids[:7], "NOBODY", ids[0]]
            got = uow.journeys.get_many(programme.id, wanted)
            personal = uow.personal.get_many(programme.id, wanted)
            each = {pid: uow.journeys.get(programme.id, pid) for pid in ids[:7]}
            assert got == each
            assert personal == {ids[1]: uow.personal.get(programme.id, ids[1])}
