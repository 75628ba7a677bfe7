"""Optimistic versioning: two people changing one participant never overwrite each other silently.

Interleaved units of work run on memory and PostgreSQL; SQLite's writers hold
the database from their first statement (``BEGIN IMMEDIATE``), so there the
second writer waits and then reads the first one's change, and the version
check is shown by a change made behind the unit of work's back.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest
from sqlalchemy import text

from insertion_core import Workspace, get_plugin_manager
from insertion_core.default_plugins.memory import MemoryStorage
from insertion_core.default_plugins.sql import SqlStorage
from insertion_core.domain import lifecycle
from insertion_core.domain.codes import AttendanceStatus, ExitReason
from insertion_core.domain.journey import Journey
from insertion_core.domain.model import (
    AttendanceRecord,
    Exit,
    FollowUpContact,
    Participant,
    PhaseProgress,
)
from insertion_core.domain.programme import loads_programme
from insertion_core.domain.situations import Situation
from insertion_core.errors import ConflictError

from .conftest import programme_toml

D = dt.date
ENTERED = Journey(
    Participant("P001", "c1", D(2024, 1, 8)), phases=(PhaseProgress("accueil", D(2024, 1, 8)),)
)
EXIT = Exit(D(2024, 6, 28), ExitReason.COMPLETED, Situation("training"))
ABSENT = AttendanceRecord(D(2024, 1, 9), AttendanceStatus.ABSENT)
CONTACT = FollowUpContact(D(2024, 7, 29), Situation("training"))


def seeded(opened: Any) -> Any:
    """The storage, initialised, with programme "p" and participant P001 in its first phase."""
    opened.initialise()
    with opened.unit_of_work() as uow:
        uow.programmes.save(loads_programme(programme_toml("p")), programme_toml("p"))
        uow.journeys.save("p", ENTERED)
        uow.commit()
    return opened


@pytest.fixture(params=["memory", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def storage(request: pytest.FixtureRequest) -> Iterator[Any]:
    """A storage whose writers do not lock each other out until they write."""
    opened: Any = (
        MemoryStorage()
        if request.param == "memory"
        else SqlStorage.open(request.getfixturevalue("pg_url"))
    )
    yield seeded(opened)
    opened.close()


@pytest.fixture
def sqlite(tmp_path: Path) -> Iterator[SqlStorage]:
    opened = SqlStorage.open(f"sqlite:///{tmp_path / 'insertion.db'}")
    yield seeded(opened)
    opened.close()


def stored(storage: Any) -> Journey | None:
    with storage.unit_of_work(read_only=True) as uow:
        found: Journey | None = uow.journeys.get("p", "P001")
        return found


def message(changes: str) -> str:
    return (
        f"participant P001 was changed by someone else since you read it ({changes}); "
        "reload and try again"
    )


def test_the_second_writer_gets_a_conflict_naming_the_change(storage: Any) -> None:
    with storage.unit_of_work() as first, storage.unit_of_work() as second:
        mine = first.journeys.get("p", "P001")
        theirs = second.journeys.get("p", "P001")
        first.journeys.save("p", attrs.evolve(mine, exit=EXIT))
        first.commit()
        with pytest.raises(ConflictError) as caught:
            second.journeys.save("p", attrs.evolve(theirs, attendance=(ABSENT,)))
            second.commit()
    assert str(caught.value) == message("exit recorded")
    assert (caught.value.participant_id, caught.value.changes) == ("P001", ("exit recorded",))
    assert stored(storage) == attrs.evolve(ENTERED, exit=EXIT)


def test_memory_finds_a_conflict_at_commit_when_the_other_commits_after_the_save() -> None:
    """In SQL the save locks the row, so the other writer would wait for this commit instead."""
    storage = seeded(MemoryStorage())
    with storage.unit_of_work() as first, storage.unit_of_work() as second:
        theirs = second.journeys.get("p", "P001")
        second.journeys.save("p", attrs.evolve(theirs, attendance=(ABSENT,)))
        mine = first.journeys.get("p", "P001")
        first.journeys.save("p", attrs.evolve(mine, exit=EXIT))
        first.commit()
        with pytest.raises(ConflictError, match=r"\(exit recorded\)"):
            second.commit()
    assert stored(storage) == attrs.evolve(ENTERED, exit=EXIT)


def test_two_enrolments_of_one_participant_conflict(storage: Any) -> None:
    new = Journey(Participant("P002", "c1", D(2024, 2, 1)))
    with storage.unit_of_work() as first, storage.unit_of_work() as second:
        assert first.journeys.get("p", "P002") is None
        assert second.journeys.get("p", "P002") is None
        first.journeys.save("p", new)
        first.commit()
        with pytest.raises(ConflictError) as caught:
            second.journeys.save("p", Journey(Participant("P002", "c2", D(2024, 2, 1))))
    assert str(caught.value) == (
        "participant P002 was changed by someone else since you read it (enrolled); "
        "reload and try again"
    )


def test_a_writer_that_read_nothing_replaces_the_journey(storage: Any) -> None:
    """The importer's path: save_many of journeys it did not get is not checked."""
    with storage.unit_of_work() as first, storage.unit_of_work() as second:
        first.journeys.get("p", "P001")
        second.journeys.iter("p")  # a streamed read is not a versioned one
        first.journeys.save("p", attrs.evolve(ENTERED, exit=EXIT))
        first.commit()
        second.journeys.save_many("p", [attrs.evolve(ENTERED, attendance=(ABSENT,))])
        second.commit()
    assert stored(storage) == attrs.evolve(ENTERED, attendance=(ABSENT,))


def test_a_writer_never_conflicts_with_itself(storage: Any) -> None:
    with storage.unit_of_work() as uow:
        journey = uow.journeys.get("p", "P001")
        uow.journeys.save("p", attrs.evolve(journey, exit=EXIT))
        uow.journeys.save("p", attrs.evolve(journey, exit=EXIT, attendance=(ABSENT,)))
        uow.commit()
        again = uow.journeys.get("p", "P001")
        uow.journeys.save("p", attrs.evolve(again, attendance=()))
        uow.rollback()
        uow.journeys.save("p", attrs.evolve(journey, attendance=()))
        uow.commit()
    assert stored(storage) == attrs.evolve(ENTERED)


def changing_in_between(
    monkeypatch: pytest.MonkeyPatch, name: str, other: Callable[[], object]
) -> None:
    """Make ``lifecycle.<name>`` run ``other`` (another person's change) before its own work."""
    original = getattr(lifecycle, name)

    def interleaved(*args: Any) -> Any:
        monkeypatch.setattr(lifecycle, name, original)
        other()
        return original(*args)

    monkeypatch.setattr(lifecycle, name, interleaved)


def test_workspace_changes_at_the_same_time_conflict(
    storage: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    pm = get_plugin_manager(load_entry_points=False)
    me, colleague = Workspace(storage, pm), Workspace(storage, pm)
    changing_in_between(
        monkeypatch,
        "record_attendance",
        lambda: colleague.record_exit("p", "P001", EXIT),
    )
    with pytest.raises(ConflictError) as caught:
        me.record_attendance("p", "P001", ABSENT)
    assert str(caught.value) == message("exit recorded")
    assert me.journey("p", "P001") == attrs.evolve(ENTERED, exit=EXIT)
    me.record_followup("p", "P001", CONTACT)  # reloading and trying again works
    assert me.journey("p", "P001") == attrs.evolve(ENTERED, exit=EXIT, contacts=(CONTACT,))


def test_sqlite_checks_the_version_it_read(sqlite: SqlStorage) -> None:
    with sqlite.unit_of_work() as uow:
        journey = uow.journeys.get("p", "P001")
        # Another writer's commit, as PostgreSQL would let it happen in between.
        uow.session.execute(text("UPDATE participants SET version = version + 1"))
        with pytest.raises(ConflictError, match=r"\(saved again\)"):
            uow.journeys.save("p", attrs.evolve(journey, exit=EXIT))


def test_sqlite_serialises_workspace_changes_so_none_is_lost(
    sqlite: SqlStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    pm = get_plugin_manager(load_entry_points=False)
    started = threading.Event()
    original = lifecycle.record_exit

    def slow_exit(*args: Any) -> Any:
        started.set()
        time.sleep(0.5)  # holding the write lock
        return original(*args)

    monkeypatch.setattr(lifecycle, "record_exit", slow_exit)
    errors: list[BaseException] = []

    def exit_() -> None:
        try:
            Workspace(sqlite, pm).record_exit("p", "P001", EXIT)
        except BaseException as error:  # reported to the main thread
            errors.append(error)

    thread = threading.Thread(target=exit_)
    thread.start()
    started.wait(10)
    Workspace(sqlite, pm).record_attendance("p", "P001", ABSENT)
    thread.join(30)
    assert errors == []
    assert stored(sqlite) == attrs.evolve(ENTERED, exit=EXIT, attendance=(ABSENT,))


def test_saves_raise_the_stored_version(sqlite: SqlStorage) -> None:
    def version() -> int:
        with sqlite.engine.connect() as connection:
            return int(connection.exec_driver_sql("SELECT version FROM participants").scalar_one())

    assert version() == 1
    for _ in range(2):
        with sqlite.unit_of_work() as uow:
            uow.journeys.save_many("p", [ENTERED])
            uow.commit()
    assert version() == 3
