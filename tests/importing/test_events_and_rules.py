"""Events after commit, plugins' eligibility rules, and one mistake reported once."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pluggy
import pytest

from insertion_core import DataError, Workspace, hookimpl
from insertion_core.domain import Event, Participant, Programme, Verdict
from insertion_core.importing import import_directory, import_file

from .conftest import snapshot, write

TODAY = dt.date(2025, 6, 30)
HEAD = "participant_id,cohort_id,entry_date,birth_date,education_level\n"


class Recorder:
    """A plugin that keeps the events it is handed."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    @hookimpl
    def on_event(self, event: Event, workspace: Workspace) -> None:
        self.events.append(event)


class NoCohortZ:
    """A plugin's eligibility rule: nobody joins cohort Z."""

    name = "no_cohort_z"

    def check(self, programme: Programme, participant: Participant) -> Verdict | None:
        if participant.cohort_id == "Z":
            return Verdict.failed(self.name, "cohort Z is closed")
        return Verdict.ok(self.name)


class RulePlugin:
    @hookimpl
    def register_eligibility_rules(self, register: object) -> None:
        register(NoCohortZ())  # type: ignore[operator]


@pytest.fixture
def recorder(pm: pluggy.PluginManager) -> Recorder:
    found = Recorder()
    pm.register(found, name="recorder")
    return found


@pytest.fixture
def site(tmp_path: Path) -> Path:
    write(tmp_path / "site" / "participants.csv", HEAD + "P1,C1,2024-09-09,2006-03-01,3\n")
    write(
        tmp_path / "site" / "exits.csv",
        "participant_id,exit_date,exit_reason,destination\nP1,2025-01-31,completed,training\n",
    )
    write(
        tmp_path / "site" / "followups.csv",
        "participant_id,contact_date,situation\nP1,2025-03-03,employment\n",
    )
    return tmp_path / "site"


def test_events_are_emitted_once_after_commit(
    workspace: Workspace, recorder: Recorder, site: Path
) -> None:
    import_directory(workspace, "demo", site, today=TODAY, dry_run=True)
    assert recorder.events == []
    import_directory(workspace, "demo", site, today=TODAY)
    assert [(e.name, e.participant_id, e.on) for e in recorder.events] == [
        ("enrolled", "P1", dt.date(2024, 9, 9)),
        ("exited", "P1", dt.date(2025, 1, 31)),
        ("followup_recorded", "P1", dt.date(2025, 3, 3)),
    ]
    import_directory(workspace, "demo", site, today=TODAY)
    assert len(recorder.events) == 3  # re-importing the same files causes nothing


def test_refused_import_emits_nothing(workspace: Workspace, recorder: Recorder, site: Path) -> None:
    write(
        site / "followups.csv", "participant_id,contact_date,situation\nP1,2025-01-01,employment\n"
    )
    with pytest.raises(DataError):
        import_directory(workspace, "demo", site, today=TODAY)
    assert recorder.events == []


def test_plugin_eligibility_rules_apply(pm: pluggy.PluginManager, tmp_path: Path) -> None:
    pm.register(RulePlugin(), name="rules")
    from .conftest import PROGRAMME_TOML

    with Workspace.open("test-memory://rules", plugin_manager=pm) as workspace:
        workspace.save_programme(PROGRAMME_TOML)
        f = write(tmp_path / "participants.csv", HEAD + "P1,Z,2024-09-09,2006-03-01,3\n")
        with pytest.raises(DataError) as info:
            import_file(workspace, "demo", "participants", f, today=TODAY)
    assert [str(p) for p in info.value.problems] == [
        f"{f}:2: participant_id: participant P1 is not eligible: no_cohort_z: cohort Z is closed"
    ]


def test_one_mistake_is_reported_once(workspace: Workspace, site: Path) -> None:
    # P1 is too old: the exit and contact rows that follow from it are not reported too.
    write(site / "participants.csv", HEAD + "P1,C1,2024-09-09,1990-03-01,3\n")
    with pytest.raises(DataError) as info:
        import_directory(workspace, "demo", site, today=TODAY)
    assert [str(p) for p in info.value.problems] == [
        f"{site / 'participants.csv'}:2: birth_date: participant P1 is not eligible: "
        "max_age: aged 34 on entry, the maximum is 25"
    ]
    assert snapshot(workspace)["journeys"] == []


def test_bad_cell_is_reported_once_not_as_unknown_participant(
    workspace: Workspace, site: Path
) -> None:
    write(site / "participants.csv", HEAD + "P1,C1,2024-09-31,2006-03-01,3\n")
    with pytest.raises(DataError) as info:
        import_directory(workspace, "demo", site, today=TODAY)
    assert [str(p) for p in info.value.problems] == [
        f"{site / 'participants.csv'}:2: entry_date: '2024-09-31' is not a real day of the calendar"
    ]


def test_a_line_that_is_not_csv(workspace: Workspace, tmp_path: Path) -> None:
    f = write(
        tmp_path / "participants.csv", HEAD + "P1,C1,2024-09-09,,\n" + "P2," + "x" * 200_000 + "\n"
    )
    with pytest.raises(DataError) as info:
        import_file(workspace, "demo", "participants", f, today=TODAY)
    assert [str(p) for p in info.value.problems] == [
        f"{f}:3: cannot read this line as CSV: a value longer than 131,072 characters"
    ]
