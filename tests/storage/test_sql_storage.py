"""What only the SQL storage promises: URLs, errors, bounded queries, personal tables apart."""

from __future__ import annotations

import datetime as dt
import socket
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pluggy
import pytest
from sqlalchemy import event, text

from insertion_core import hookspecs
from insertion_core.default_plugins import memory, sql
from insertion_core.default_plugins.memory import MemoryStorage
from insertion_core.default_plugins.sql import PERSONAL_TABLES, SqlStorage
from insertion_core.default_plugins.sql.tables import metadata
from insertion_core.domain.codes import AttendanceStatus, ExitReason, Gender
from insertion_core.domain.journey import Journey
from insertion_core.domain.model import (
    AttendanceRecord,
    Exit,
    FollowUpContact,
    Participant,
    PersonalData,
    PhaseProgress,
)
from insertion_core.domain.programme import loads_programme
from insertion_core.domain.situations import Situation
from insertion_core.errors import StorageError

from .conftest import programme_toml


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def sql_url(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'insertion.db'}"
    return request.getfixturevalue("pg_url")


def open_initialised(url: Any, batch_size: int = 1000) -> SqlStorage:
    storage = SqlStorage.open(url, batch_size=batch_size)
    storage.initialise()
    with storage.unit_of_work() as uow:
        uow.programmes.save(loads_programme(programme_toml("p")), programme_toml("p"))
        uow.commit()
    return storage


def busy_journey(participant_id: str) -> Journey:
    """A journey with rows in every child table, personal ones included.

    Which optional fields are empty varies with the id, as in real files.
    """
    n = sum(map(ord, participant_id))
    exit_ = Exit(
        dt.date(2024, 6, 1),
        ExitReason.COMPLETED,
        Situation("employment"),
        contract_months=Decimal(n % 12) if n % 3 else None,
        qualifying=None if n % 2 else True,
    )
    return Journey(
        Participant(
            participant_id,
            "c1",
            dt.date(2024, 1, 8),
            birth_date=dt.date(2000, 1, 1) if n % 2 else None,
            gender=None if n % 3 else Gender.F,
            qpv=None if n % 5 else False,
            counsellor=None if n % 7 else "c7",
        ),
        phases=(PhaseProgress("accueil", dt.date(2024, 1, 8)),),
        exit=exit_,
        contacts=(
            FollowUpContact(
                dt.date(2024, 7, 1),
                Situation("training"),
                None,
                Decimal("3"),
                note=f"secret note of {participant_id}",
            ),
        ),
        attendance=(
            AttendanceRecord(
                dt.date(2024, 1, 9),
                AttendanceStatus.ABSENT,
                reason=f"secret reason of {participant_id}",
            ),
        ),
    )


class QueryCounter:
    """Counts the statements an engine runs."""

    def __init__(self, storage: SqlStorage) -> None:
        self.statements: list[str] = []
        event.listen(storage.engine, "before_cursor_execute", self._count)

    def _count(self, conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "INSERT", "DELETE", "UPDATE")):
            self.statements.append(statement)


# Opening


@pytest.fixture
def pm() -> pluggy.PluginManager:
    manager = pluggy.PluginManager(hookspecs.PROJECT)
    manager.add_hookspecs(hookspecs)
    manager.register(sql)
    manager.register(memory)
    return manager


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("sqlite:///x.db", SqlStorage),
        ("sqlite://", SqlStorage),
        ("postgresql://u@localhost/db", SqlStorage),
        ("postgresql+psycopg://u@localhost/db", SqlStorage),
        ("memory://", MemoryStorage),
        ("memory://named", MemoryStorage),
        ("mysql://u@localhost/db", type(None)),
        ("postgresql+asyncpg://u@localhost/db", type(None)),
        ("insertion.db", type(None)),
    ],
)
def test_get_storage_claims_its_urls(pm: pluggy.PluginManager, url: str, kind: type) -> None:
    storage = pm.hook.get_storage(url=url)
    assert type(storage) is kind
    assert sql.get_storage(url) is None or kind is SqlStorage
    assert memory.get_storage(url) is None or kind is MemoryStorage


def test_postgresql_urls_use_psycopg_and_hide_the_password() -> None:
    storage = SqlStorage.open("postgresql://ana:s3cret@db.example.org:5433/insertion")
    assert storage.url == "postgresql://ana:***@db.example.org:5433/insertion"
    assert "s3cret" not in repr(storage)
    assert storage.engine.url.drivername == "postgresql+psycopg"


def test_a_missing_driver_is_a_clear_storage_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)
    with pytest.raises(StorageError, match=r"pip install 'insertion-core\[postgresql\]'"):
        SqlStorage.open("postgresql://ana:s3cret@localhost/insertion")


def test_an_unreachable_server_is_a_clear_storage_error() -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    storage = SqlStorage.open(
        f"postgresql://ana:s3cret@127.0.0.1:{port}/insertion", connect_args={"connect_timeout": 2}
    )
    with pytest.raises(StorageError, match="cannot connect") as caught:
        storage.initialise()
    assert "s3cret" not in str(caught.value) and "***" in str(caught.value)


def test_an_uninitialised_database_says_what_to_do(tmp_path: Path) -> None:
    (tmp_path / "empty.db").touch()
    storage = SqlStorage.open(f"sqlite:///{tmp_path / 'empty.db'}")
    with pytest.raises(StorageError, match="no schema yet: run `insertion init`"):
        storage.unit_of_work()


# Scale: a bounded number of statements per batch, not per participant.


def test_iter_runs_five_queries_per_batch(sql_url: Any) -> None:
    storage = open_initialised(sql_url, batch_size=10)
    with storage.unit_of_work() as uow:
        uow.journeys.save_many("p", [busy_journey(f"id{i:03}") for i in range(35)])
        uow.commit()
    counter = QueryCounter(storage)
    with storage.unit_of_work() as uow:
        got = list(uow.journeys.iter("p"))
    assert [j.participant_id for j in got] == [f"id{i:03}" for i in range(35)]
    assert got[7] == busy_journey("id007")
    assert len(counter.statements) == 4 * 5  # 4 batches: participants + 4 child tables


def test_save_many_runs_a_few_statements_per_batch(sql_url: Any) -> None:
    storage = open_initialised(sql_url, batch_size=50)
    counter = QueryCounter(storage)
    with storage.unit_of_work() as uow:
        uow.journeys.save_many("p", (busy_journey(f"id{i:03}") for i in range(120)))
        uow.commit()
    # 1 programme check, then per batch of 50: DELETE, INSERT participants, SELECT
    # their ids, and one INSERT per child table (six), however the rows vary; then
    # the stored check-ins: one INSERT ... SELECT per checkpoint (three); the stored
    # facts: SELECT the programme text, DELETE, SELECT the participants and their
    # aggregated exits, and one INSERT.
    assert len(counter.statements) <= 1 + 3 * (9 + 3 + 5)
    with storage.unit_of_work() as uow:
        assert uow.journeys.count("p") == 120


def test_statistics_are_refreshed_after_batches_1_2_4_8_of_a_unit_of_work(
    sql_url: Any, monkeypatch: Any
) -> None:
    """Counted over the unit of work, not per save_many call: an import calls it per batch."""
    from insertion_core.default_plugins.sql.repositories import SqlJourneyRepository

    refreshed: list[int] = []
    monkeypatch.setattr(
        SqlJourneyRepository,
        "_refresh_statistics",
        lambda self: refreshed.append(self._batches),
    )
    storage = open_initialised(sql_url, batch_size=1)
    with storage.unit_of_work() as uow:
        for i in range(9):
            uow.journeys.save_many("p", [busy_journey(f"id{i:03}")])
        uow.commit()
    assert refreshed == [1, 2, 4, 8]


# Personal data apart


def test_core_tables_hold_no_personal_data(sql_url: Any) -> None:
    storage = open_initialised(sql_url)
    with storage.unit_of_work() as uow:
        uow.journeys.save("p", busy_journey("P-001"))
        uow.personal.save("p", PersonalData("P-001", "Ana", "Martinez", "ana@example.org", "0612"))
        uow.commit()
    core, personal = "", ""
    with storage.engine.connect() as connection:
        for name in metadata.tables:
            rows = connection.execute(text(f"SELECT * FROM {name}")).all()
            if name in PERSONAL_TABLES:
                personal += repr(rows)
            else:
                core += repr(rows)
    for secret in ("Ana", "Martinez", "ana@example.org", "0612", "secret note", "secret reason"):
        assert secret not in core
        assert secret in personal


def test_emptying_the_personal_tables_leaves_the_core_readable(sql_url: Any) -> None:
    storage = open_initialised(sql_url)
    with storage.unit_of_work() as uow:
        uow.journeys.save("p", busy_journey("P-001"))
        uow.commit()
    with storage.engine.begin() as connection:
        for name in PERSONAL_TABLES:
            connection.execute(text(f"DELETE FROM {name}"))
    with storage.unit_of_work() as uow:
        journey = uow.journeys.get("p", "P-001")
    assert journey is not None
    assert journey.contacts[0].note is None and journey.attendance[0].reason is None
    assert journey.exit == busy_journey("P-001").exit


# Re-using one storage in tests


def test_a_storage_on_a_connection_commits_savepoints(sql_url: Any) -> None:
    owner = SqlStorage.open(sql_url)
    owner.initialise()
    with owner.engine.connect() as connection:
        outer = connection.begin()
        storage = SqlStorage.on_connection(connection)
        with storage.unit_of_work() as uow:
            uow.programmes.save(loads_programme(programme_toml("p")), programme_toml("p"))
            uow.commit()
        with storage.unit_of_work() as uow:
            uow.journeys.save("p", busy_journey("kept-until-outer-rollback"))
            uow.commit()
        with storage.unit_of_work() as uow:
            uow.journeys.save("p", busy_journey("never-committed"))
        with storage.unit_of_work() as uow:
            assert [j.participant_id for j in uow.journeys.iter("p")] == [
                "kept-until-outer-rollback"
            ]
        outer.rollback()
    with owner.unit_of_work() as uow:
        assert uow.programmes.ids() == []
    owner.close()


@pytest.mark.postgresql
def test_postgresql_identifiers_sort_by_code_point(pg_url: Any) -> None:
    storage = open_initialised(pg_url)
    with storage.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT table_name, column_name, collation_name FROM information_schema.columns "
                "WHERE table_schema = current_schema() AND column_name IN "
                "('id', 'programme_id', 'participant_id', 'cohort_id') AND data_type = 'text'"
            )
        ).all()
    assert rows and {row.collation_name for row in rows} == {"C"}


@pytest.mark.postgresql
def test_postgresql_bulk_copy_errors_are_storage_errors(pg_url: Any) -> None:
    storage = open_initialised(pg_url)
    bad = Journey(Participant("P-001", "c1", dt.date(2024, 1, 8)))
    # The model refuses such an id; storage must still fail cleanly if one slips past.
    object.__setattr__(bad.participant, "counsellor", "nul\x00byte")
    with storage.unit_of_work() as uow, pytest.raises(StorageError, match="participants"):
        uow.journeys.save("p", bad)
