"""The Workspace service layer on the test storage: lifecycle in transactions, events after commit."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insertion_core import (
    AttendanceRecord,
    ConfigError,
    Exit,
    FollowUpContact,
    NotFoundError,
    Participant,
    PersonalData,
    Situation,
    StorageError,
    Workspace,
    get_plugin_manager,
)
from insertion_core.domain import (
    AttendanceRecorded,
    AttendanceStatus,
    Enrolled,
    Exited,
    ExitReason,
    FollowUpRecorded,
    HalfDay,
    Journey,
    PhaseProgress,
    PhaseStarted,
    Sector,
    Transition,
    enrol,
)
from insertion_core.errors import (
    AlreadyEnrolledError,
    ContactBeforeExitError,
    ExitBeforeEntryError,
    NotEligibleError,
)
from insertion_core.plugins import PluginManager
from insertion_core.workspace import DB_ENV, DEFAULT_DB, default_url

from .conftest import PROGRAMME_TOML
from .fakes import CountingStorage, EventRecorder, SharedMemoryPlugin
from .strategies import populations, programmes, to_toml

D = dt.date
ENTRY = D(2025, 9, 1)
ALICE = Participant("A001", "2025-09", ENTRY, birth_date=D(2006, 4, 2))


@pytest.fixture
def gonesse(workspace: Workspace) -> Workspace:
    workspace.save_programme(PROGRAMME_TOML, "gonesse.toml")
    return workspace


def storage_of(workspace: Workspace) -> CountingStorage:
    assert isinstance(workspace.storage, CountingStorage)
    return workspace.storage


def test_a_whole_journey_round_trips(gonesse: Workspace, recorder: EventRecorder) -> None:
    personal = PersonalData("A001", first_name="Alice", email="alice@example.org")
    enrolled = gonesse.enrol("gonesse", ALICE, personal)
    gonesse.start_next_phase("gonesse", "A001", D(2025, 9, 15))
    gonesse.record_attendance(
        "gonesse", "A001", AttendanceRecord(D(2025, 9, 16), AttendanceStatus.ABSENT, HalfDay.AM)
    )
    exit_ = Exit(D(2026, 1, 30), ExitReason.COMPLETED, Situation("training", Sector.DIGITAL))
    gonesse.record_exit("gonesse", "A001", exit_)
    contact = FollowUpContact(D(2026, 3, 2), Situation("employment"), note="CDD chez Orange")
    gonesse.record_followup("gonesse", "A001", contact)

    assert enrolled.warnings == (
        "participant A001: max_education_level: no education level, "
        "so the maximum level was not checked",
    )
    assert gonesse.journey("gonesse", "A001") == Journey(
        ALICE,
        phases=(PhaseProgress("accueil", ENTRY), PhaseProgress("projets", D(2025, 9, 15))),
        exit=exit_,
        contacts=(contact,),
        attendance=(AttendanceRecord(D(2025, 9, 16), AttendanceStatus.ABSENT, HalfDay.AM),),
    )
    assert recorder.events == [
        Enrolled("gonesse", "A001", ENTRY, cohort_id="2025-09"),
        PhaseStarted("gonesse", "A001", ENTRY, phase_id="accueil"),
        PhaseStarted("gonesse", "A001", D(2025, 9, 15), phase_id="projets"),
        AttendanceRecorded("gonesse", "A001", D(2025, 9, 16), status="absent"),
        Exited(
            "gonesse", "A001", D(2026, 1, 30), reason="completed", destination="training.digital"
        ),
        FollowUpRecorded("gonesse", "A001", D(2026, 3, 2), situation="employment.other"),
    ]
    assert all(recorder.visible)
    with gonesse.storage.unit_of_work() as uow:
        assert uow.personal.get("gonesse", "A001") == personal
    assert gonesse.event_failures == []


def test_journeys_are_listed_in_participant_id_order(gonesse: Workspace) -> None:
    for pid in ("C3", "A1", "B2"):
        gonesse.enrol("gonesse", Participant(pid, "2025-09", ENTRY))
    assert [j.participant_id for j in gonesse.journeys("gonesse")] == ["A1", "B2", "C3"]
    assert list(gonesse.journeys("elsewhere")) == []


def test_events_are_emitted_only_after_commit(gonesse: Workspace, recorder: EventRecorder) -> None:
    storage_of(gonesse).fail_commits = True
    with pytest.raises(StorageError, match="the test storage refuses to commit"):
        gonesse.enrol("gonesse", ALICE)
    assert recorder.events == []
    storage_of(gonesse).fail_commits = False
    with pytest.raises(NotFoundError):
        gonesse.journey("gonesse", "A001")  # nothing was written either


def test_a_failure_inside_a_batch_rolls_back_and_emits_nothing(
    gonesse: Workspace, recorder: EventRecorder
) -> None:
    programme = gonesse.programme("gonesse")
    with pytest.raises(RuntimeError, match="half way"), gonesse.batch() as batch:
        batch.apply("gonesse", enrol(programme, ALICE))
        assert batch.events  # kept for after the commit
        raise RuntimeError("half way")
    assert recorder.events == []
    assert list(gonesse.journeys("gonesse")) == []


def test_a_batch_emits_all_its_events_after_one_commit(
    gonesse: Workspace, recorder: EventRecorder
) -> None:
    programme = gonesse.programme("gonesse")
    commits = storage_of(gonesse).commits
    with gonesse.batch() as batch:
        for pid in ("P1", "P2"):
            batch.apply("gonesse", enrol(programme, Participant(pid, "C", ENTRY)))
        assert recorder.events == []
    assert storage_of(gonesse).commits == commits + 1
    assert [(e.participant_id, e.name) for e in recorder.events] == [
        ("P1", "enrolled"),
        ("P1", "phase_started"),
        ("P2", "enrolled"),
        ("P2", "phase_started"),
    ]


def test_enrolling_twice_is_refused(gonesse: Workspace, recorder: EventRecorder) -> None:
    gonesse.enrol("gonesse", ALICE)
    before = list(recorder.events)
    with pytest.raises(AlreadyEnrolledError) as caught:
        gonesse.enrol("gonesse", Participant("A001", "2026-01", D(2026, 1, 5)))
    assert str(caught.value) == "participant A001 is already enrolled in programme gonesse"
    assert recorder.events == before
    assert gonesse.journey("gonesse", "A001").participant == ALICE


def test_enrolling_twice_is_refused_as_such_even_when_no_longer_eligible(
    gonesse: Workspace,
) -> None:
    gonesse.enrol("gonesse", ALICE)
    older = Participant("A001", "2033-09", D(2033, 9, 1), birth_date=ALICE.birth_date)
    with pytest.raises(AlreadyEnrolledError, match=r"^participant A001 is already enrolled"):
        gonesse.enrol("gonesse", older)


def test_an_ineligible_participant_is_not_stored(
    gonesse: Workspace, recorder: EventRecorder
) -> None:
    too_young = Participant("Y001", "2025-09", ENTRY, birth_date=D(2011, 1, 1))
    with pytest.raises(NotEligibleError) as caught:
        gonesse.enrol("gonesse", too_young)
    assert str(caught.value) == (
        "participant Y001 is not eligible: min_age: aged 14 on entry, the minimum is 16"
    )
    assert recorder.events == []
    assert list(gonesse.journeys("gonesse")) == []


def test_an_illegal_change_leaves_the_stored_journey_unchanged(
    gonesse: Workspace, recorder: EventRecorder
) -> None:
    gonesse.enrol("gonesse", ALICE)
    before = (gonesse.journey("gonesse", "A001"), list(recorder.events))
    with pytest.raises(ExitBeforeEntryError):
        gonesse.record_exit(
            "gonesse", "A001", Exit(D(2025, 8, 1), ExitReason.DROPOUT, Situation("other"))
        )
    with pytest.raises(ContactBeforeExitError):
        gonesse.record_followup(
            "gonesse", "A001", FollowUpContact(D(2025, 10, 1), Situation("employment"))
        )
    assert (gonesse.journey("gonesse", "A001"), recorder.events) == before


def test_unknown_programme_lists_the_known_ones(workspace: Workspace) -> None:
    with pytest.raises(NotFoundError) as caught:
        workspace.programme("gonesse")
    assert str(caught.value) == (
        "no programme 'gonesse' (known programmes: none yet); "
        "load it with 'insertion programme load FILE.toml'"
    )
    workspace.save_programme(PROGRAMME_TOML)
    workspace.save_programme(PROGRAMME_TOML.replace('id = "gonesse"', 'id = "argenteuil"'))
    with pytest.raises(NotFoundError) as caught:
        workspace.enrol("sarcelles", ALICE)
    assert str(caught.value) == (
        "no programme 'sarcelles' (known programmes: argenteuil, gonesse); "
        "load it with 'insertion programme load FILE.toml'"
    )
    assert workspace.programme_ids() == ["argenteuil", "gonesse"]


def test_unknown_participant_is_named(gonesse: Workspace) -> None:
    for attempt in (
        lambda: gonesse.journey("gonesse", "Z999"),
        lambda: gonesse.start_next_phase("gonesse", "Z999", ENTRY),
        lambda: gonesse.record_exit(
            "gonesse", "Z999", Exit(ENTRY, ExitReason.OTHER, Situation("other"))
        ),
    ):
        with pytest.raises(NotFoundError) as caught:
            attempt()
        assert str(caught.value) == "no participant 'Z999' in programme 'gonesse'"


def test_load_programme_from_a_file_and_update_it(
    workspace: Workspace, programme_file: Path
) -> None:
    programme = workspace.load_programme(programme_file)
    assert programme.id == "gonesse"
    assert workspace.programme("gonesse") == programme
    programme_file.write_text(PROGRAMME_TOML.replace("months = 6", "months = 12"), encoding="utf-8")
    updated = workspace.load_programme(programme_file)
    assert workspace.programme("gonesse").followup.months == 12 == updated.followup.months
    assert workspace.programme_ids() == ["gonesse"]
    with workspace.storage.unit_of_work() as uow:
        assert uow.programmes.get("gonesse") == updated
    source = storage_of(workspace).sources["gonesse"]
    assert source == programme_file.read_text(encoding="utf-8")  # the text is kept as loaded


def test_a_target_on_an_unknown_indicator_is_refused_at_load(
    workspace: Workspace, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(PROGRAMME_TOML + "[targets]\nremobilization_rate = 0.85\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        workspace.load_programme(bad)
    message = str(caught.value)
    assert message.startswith(
        f"{bad}: targets.remobilization_rate: unknown indicator (known indicators: "
    )
    assert "remobilisation_rate" in message and "dropout_rate" in message
    above = tmp_path / "above.toml"
    above.write_text(PROGRAMME_TOML + "[targets]\ndropout_rate = 12\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        workspace.load_programme(above)
    assert (
        str(caught.value) == f"{above}: targets.dropout_rate: expected a rate from 0 to 1, got 12.0"
    )
    assert workspace.programme_ids() == []
    good = tmp_path / "good.toml"
    good.write_text(PROGRAMME_TOML + "[targets]\nremobilisation_rate = 0.85\n", encoding="utf-8")
    assert workspace.load_programme(good).targets[0].indicator == "remobilisation_rate"


def test_a_bad_programme_file_is_not_stored(workspace: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(PROGRAMME_TOML + "colour = 'blue'\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        workspace.load_programme(bad)
    assert str(caught.value) == (
        f"{bad}: outcomes.colour: unknown key (known keys here: families, positive)"
    )
    with pytest.raises(ConfigError) as caught:
        workspace.load_programme(tmp_path / "missing.toml")
    assert str(caught.value) == (
        f"{tmp_path / 'missing.toml'}: cannot read the programme file: No such file or directory"
    )
    assert workspace.programme_ids() == []


def test_the_database_url_comes_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, pm: PluginManager
) -> None:
    monkeypatch.delenv(DB_ENV, raising=False)
    assert default_url() == DEFAULT_DB == "sqlite:///insertion.db"
    monkeypatch.setenv(DB_ENV, "test-memory://from-env")
    assert default_url() == "test-memory://from-env"
    with Workspace.open(plugin_manager=pm) as workspace:
        assert workspace.storage.url == "test-memory://from-env"
    monkeypatch.setenv(DB_ENV, " ")
    with pytest.raises(StorageError, match="INSERTION_DB is set but empty: give a database URL"):
        default_url()
    with pytest.raises(StorageError, match="the database URL is empty"):
        Workspace.open("", plugin_manager=pm)


def test_the_workspace_closes_its_storage(pm: PluginManager) -> None:
    with Workspace.open("test-memory://closing", plugin_manager=pm) as workspace:
        storage = storage_of(workspace)
        assert not storage.closed
    assert storage.closed


def test_open_with_initialise(pm: PluginManager) -> None:
    with Workspace.open("test-memory://a", plugin_manager=pm) as plain:
        assert storage_of(plain).initialised == 0
        plain.initialise()
        assert storage_of(plain).initialised == 1
    with Workspace.open("test-memory://b", plugin_manager=pm, initialise=True) as ready:
        assert storage_of(ready).initialised == 1


@settings(max_examples=30, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_generated_journeys_are_stored_and_read_back(data: st.DataObject) -> None:
    programme = data.draw(programmes())
    journeys = data.draw(populations(programme, max_size=8))
    pm = get_plugin_manager(load_entry_points=False, strict=False)
    pm.register(SharedMemoryPlugin(), name="test-storage")
    with Workspace.open("test-memory://gen", plugin_manager=pm) as workspace:
        with workspace.batch() as batch:
            batch.uow.programmes.save(programme, to_toml(programme))
            for journey in journeys:
                batch.apply(programme.id, Transition(journey))
        assert list(workspace.journeys(programme.id)) == sorted(
            journeys, key=lambda j: j.participant_id
        )
        with workspace.storage.unit_of_work() as uow:
            assert uow.journeys.count(programme.id) == len(journeys)
