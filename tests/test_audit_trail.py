"""Every change through the Workspace is in the audit journal: who, when, what; refusals are not.

On the test storage (the real in-memory one); tests/storage has the same
journal on SQLite and PostgreSQL, tests/test_audit_personal_data.py what it
never holds.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
from pathlib import Path

import pytest

from insertion_core import Exit, Participant, Situation, StorageError, Workspace
from insertion_core.audit import ACTOR_ENV, default_actor, record
from insertion_core.domain import ExitReason
from insertion_core.errors import (
    AlreadyEnrolledError,
    DataError,
    ExitBeforeEntryError,
    IdentifierError,
)
from insertion_core.importing import import_directory
from insertion_core.plugins import PluginManager

from .audit_support import ALICE, EVERY_OPERATION, PROGRAMME, import_folder, write_everything
from .fakes import CountingStorage

D = dt.date


def operations(workspace: Workspace, **kwargs: object) -> list[tuple[str, str, str | None]]:
    return [
        (line.entry.actor, line.entry.operation, line.participant_id)
        for line in workspace.audit_trail(PROGRAMME, **kwargs)  # type: ignore[arg-type]
    ]


@pytest.fixture
def alice_acts(pm: PluginManager) -> Workspace:
    return Workspace.open("test-memory://audit", plugin_manager=pm, actor="alice")


def test_every_workspace_change_is_recorded_with_its_actor(alice_acts: Workspace) -> None:
    before = dt.datetime.now(dt.UTC)
    write_everything(alice_acts)
    after = dt.datetime.now(dt.UTC)
    lines = alice_acts.audit_trail(PROGRAMME)
    assert [(line.entry.actor, line.entry.operation) for line in lines] == [
        ("alice", operation) for operation in EVERY_OPERATION
    ]
    assert [line.participant_id for line in lines] == [None] + ["A001"] * 5
    seqs = [line.entry.seq for line in lines]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    for line in lines:
        assert before <= line.entry.recorded_at <= after
        assert line.entry.recorded_at.utcoffset() == dt.timedelta(0)


def test_acting_as_writes_as_another_actor_on_the_same_storage(alice_acts: Workspace) -> None:
    write_everything(alice_acts)
    bob = alice_acts.acting_as("bob")
    assert bob.storage is alice_acts.storage
    assert bob.event_failures is alice_acts.event_failures
    bob.enrol(PROGRAMME, Participant("A002", "2025-09", D(2025, 9, 1)))
    assert alice_acts.actor == "alice" and bob.actor == "bob"
    assert operations(alice_acts, participant_id="A002") == [("bob", "participant.enrol", "A002")]


@pytest.mark.parametrize(
    ("actor", "message"),
    [
        ("", "the actor is not usable: an identifier cannot be empty"),
        ("bob\x1b[2J", "invisible or control character"),
        ("x" * 101, "at most 100"),
    ],
)
def test_an_unusable_actor_is_refused(alice_acts: Workspace, actor: str, message: str) -> None:
    with pytest.raises(IdentifierError, match=message):
        alice_acts.acting_as(actor)
    with pytest.raises(IdentifierError, match=message):
        Workspace(alice_acts.storage, alice_acts.pm, actor=actor)


def test_the_actor_defaults_to_insertion_actor_then_the_os_user(
    monkeypatch: pytest.MonkeyPatch, pm: PluginManager
) -> None:
    monkeypatch.setenv(ACTOR_ENV, "carole.martin")
    workspace = Workspace.open("test-memory://audit", plugin_manager=pm)
    assert workspace.actor == "carole.martin"
    monkeypatch.delenv(ACTOR_ENV)
    monkeypatch.setattr(getpass, "getuser", lambda: "dora")
    assert workspace.actor == "dora"
    workspace.save_programme(
        (Path(__file__).parent / "data" / "sample-site" / "programme.toml").read_text("utf-8")
    )
    [line] = workspace.audit_trail("sample-site")
    assert line.entry.actor == "dora"


def test_an_empty_insertion_actor_is_refused_not_ignored(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(ACTOR_ENV, " ")
    with pytest.raises(IdentifierError, match=f"{ACTOR_ENV}: the actor is not usable"):
        default_actor()


def test_without_a_user_name_the_actor_is_the_user_id(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ACTOR_ENV, raising=False)

    def no_name() -> str:
        raise OSError("No username set in the environment")

    monkeypatch.setattr(getpass, "getuser", no_name)
    assert default_actor() == f"uid-{os.getuid()}"


def test_a_refused_change_records_nothing(alice_acts: Workspace) -> None:
    write_everything(alice_acts)
    before = operations(alice_acts)
    with pytest.raises(AlreadyEnrolledError):
        alice_acts.enrol(PROGRAMME, ALICE)
    alice_acts.enrol(PROGRAMME, Participant("A002", "2025-09", D(2025, 9, 1)))
    with pytest.raises(ExitBeforeEntryError):
        alice_acts.record_exit(
            PROGRAMME, "A002", Exit(D(2025, 1, 1), ExitReason.DROPOUT, Situation("other"))
        )
    assert operations(alice_acts) == [*before, ("alice", "participant.enrol", "A002")]


def test_the_entry_is_rolled_back_with_its_change(alice_acts: Workspace) -> None:
    write_everything(alice_acts)
    before = operations(alice_acts)
    storage = alice_acts.storage
    assert isinstance(storage, CountingStorage)
    storage.fail_commits = True
    with pytest.raises(StorageError, match="refuses to commit"):
        alice_acts.enrol(PROGRAMME, Participant("A002", "2025-09", D(2025, 9, 1)))
    storage.fail_commits = False
    assert operations(alice_acts) == before
    with alice_acts.storage.unit_of_work(read_only=True) as uow:
        assert uow.journeys.get(PROGRAMME, "A002") is None
        assert uow.audit.subject(PROGRAMME, "A002") is None


def test_an_import_is_one_entry_with_its_counts(alice_acts: Workspace, tmp_path: Path) -> None:
    write_everything(alice_acts)
    folder = import_folder(tmp_path)
    import_directory(alice_acts, PROGRAMME, folder, dry_run=True, today=D(2026, 11, 30))
    assert operations(alice_acts)[-1] == ("alice", "participant.followup", "A001")
    import_directory(alice_acts, PROGRAMME, folder, today=D(2026, 11, 30))
    last = alice_acts.audit_trail(PROGRAMME)[-1]
    assert (last.entry.operation, last.participant_id) == ("import", None)
    assert dict(last.entry.counts) == {
        "exits.added": 1,
        "exits.removed": 0,
        "exits.unchanged": 0,
        "exits.updated": 0,
        "followups.added": 1,
        "followups.removed": 0,
        "followups.unchanged": 0,
        "followups.updated": 0,
        "participants.added": 2,
        "participants.removed": 0,
        "participants.unchanged": 0,
        "participants.updated": 0,
    }
    assert len(operations(alice_acts)) == len(EVERY_OPERATION) + 1


def test_a_refused_import_records_nothing(alice_acts: Workspace, tmp_path: Path) -> None:
    write_everything(alice_acts)
    before = operations(alice_acts)
    folder = import_folder(tmp_path)
    (folder / "exits.csv").write_text(
        "participant_id,exit_date,exit_reason,destination\nB777,2020-01-01,completed,other\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError):
        import_directory(alice_acts, PROGRAMME, folder, today=D(2026, 11, 30))
    assert operations(alice_acts) == before


def test_since_and_participant_select_entries(alice_acts: Workspace) -> None:
    write_everything(alice_acts)
    with alice_acts.storage.unit_of_work() as uow:
        record(
            uow,
            "zoe",
            "participant.exit",
            PROGRAMME,
            "A001",
            at=dt.datetime(2020, 1, 1, tzinfo=dt.UTC),
        )
        uow.commit()
    since = dt.datetime.now(dt.UTC) - dt.timedelta(hours=1)
    assert ("zoe", "participant.exit", "A001") not in operations(alice_acts, since=since)
    assert len(operations(alice_acts, since=since)) == len(EVERY_OPERATION)
    assert len(operations(alice_acts, participant_id="A001")) == len(EVERY_OPERATION)
    assert operations(alice_acts, participant_id="nobody") == []
