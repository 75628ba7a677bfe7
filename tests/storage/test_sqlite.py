"""SQLite done right: foreign keys, WAL, savepoints, and writers that wait their turn."""

from __future__ import annotations

import datetime as dt
import threading
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from insertion_core.default_plugins.sql import SqlStorage
from insertion_core.domain.journey import Journey
from insertion_core.domain.model import Participant
from insertion_core.domain.programme import loads_programme
from insertion_core.errors import StorageError

from .conftest import programme_toml


@pytest.fixture
def storage(tmp_path: Path) -> SqlStorage:
    storage = SqlStorage.open(f"sqlite:///{tmp_path / 'insertion.db'}")
    storage.initialise()
    with storage.unit_of_work() as uow:
        uow.programmes.save(loads_programme(programme_toml("p")), programme_toml("p"))
        uow.commit()
    return storage


def journey(participant_id: str) -> Journey:
    return Journey(Participant(participant_id, "c1", dt.date(2024, 1, 8)))


def test_foreign_keys_are_enforced(storage: SqlStorage) -> None:
    with storage.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        with pytest.raises(StorageError, match="FOREIGN KEY"):
            connection.execute(
                text(
                    "INSERT INTO phases (participant_ref, seq, phase_id, started_on) "
                    "VALUES (424242, 0, 'x', '2024-01-01')"
                )
            )


def test_file_databases_use_wal_and_a_busy_timeout(storage: SqlStorage) -> None:
    with storage.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 1000


def test_memory_databases_work_without_wal() -> None:
    storage = SqlStorage.open("sqlite://")
    storage.initialise()
    with storage.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "memory"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_a_savepoint_rolls_back_alone(storage: SqlStorage) -> None:
    with storage.engine.begin() as connection:
        connection.execute(
            text("INSERT INTO cohorts (programme_id, cohort_id) VALUES ('p', 'kept')")
        )
        savepoint = connection.begin_nested()
        connection.execute(
            text("INSERT INTO cohorts (programme_id, cohort_id) VALUES ('p', 'gone')")
        )
        savepoint.rollback()
    with storage.unit_of_work() as uow:
        assert [c.cohort_id for c in uow.cohorts.list("p")] == ["kept"]


def test_a_released_savepoint_is_undone_by_the_outer_rollback(storage: SqlStorage) -> None:
    # pysqlite's legacy mode lets SAVEPOINT open the transaction, and RELEASE commit it.
    with storage.engine.connect() as connection:
        outer = connection.begin()
        inner = connection.begin_nested()
        connection.execute(text("INSERT INTO cohorts (programme_id, cohort_id) VALUES ('p', 'x')"))
        inner.commit()
        outer.rollback()
    with storage.unit_of_work() as uow:
        assert uow.cohorts.list("p") == []


def test_ddl_is_transactional(storage: SqlStorage) -> None:
    with pytest.raises(RuntimeError), storage.engine.begin() as connection:
        connection.exec_driver_sql("CREATE TABLE scratch (x INTEGER)")
        raise RuntimeError("undo")
    with storage.engine.connect() as connection:
        tables = connection.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE name = 'scratch'"
        ).all()
        assert tables == []


def test_a_second_writer_waits_for_the_first(storage: SqlStorage) -> None:
    first_has_written = threading.Event()
    errors: list[BaseException] = []
    waited: list[float] = []

    def first() -> None:
        with storage.unit_of_work() as uow:
            uow.journeys.save("p", journey("first"))
            first_has_written.set()
            time.sleep(0.6)
            uow.commit()

    def second() -> None:
        first_has_written.wait()
        start = time.monotonic()
        try:
            with storage.unit_of_work() as uow:
                # A read first: with a deferred BEGIN this writer would later fail
                # to upgrade its lock; BEGIN IMMEDIATE makes it wait here instead.
                uow.journeys.count("p")
                uow.journeys.save("p", journey("second"))
                uow.commit()
        except BaseException as error:  # reported to the main thread
            errors.append(error)
        waited.append(time.monotonic() - start)

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert waited[0] >= 0.4
    with storage.unit_of_work() as uow:
        assert [j.participant_id for j in uow.journeys.iter("p")] == ["first", "second"]


def test_a_reader_does_not_wait_for_a_writer(storage: SqlStorage) -> None:
    with storage.unit_of_work() as writer:
        writer.journeys.save("p", journey("w"))
        start = time.monotonic()
        with storage.unit_of_work(read_only=True) as reader:
            assert reader.journeys.count("p") == 0
        assert time.monotonic() - start < 1
        writer.commit()


def test_a_writer_gives_up_after_the_busy_timeout(storage: SqlStorage) -> None:
    impatient = SqlStorage.open(str(storage.engine.url), busy_timeout_ms=200)
    with storage.unit_of_work() as holder:
        holder.journeys.save("p", journey("holder"))
        start = time.monotonic()
        with pytest.raises(StorageError, match="locked"), impatient.unit_of_work() as uow:
            uow.journeys.count("p")
        assert time.monotonic() - start >= 0.15
    impatient.close()
