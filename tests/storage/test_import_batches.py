"""An import planned and written in batches of participants gives what one batch gives.

The importer stages the rows and takes the participants in id order, a batch
at a time (``batch_size``); these tests make the batches tiny, so a few rows
cross every boundary, on every backend.
"""

from __future__ import annotations

import datetime as dt
import itertools
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insertion_core import DataError, Workspace, hookimpl
from insertion_core.domain import Event
from insertion_core.importing import import_directory
from insertion_core.plugins import get_plugin_manager

from .conftest import Opener, programme_toml

TODAY = dt.date(2025, 6, 30)
_names = itertools.count()


class Recorder:
    """Keeps the events handed to the plugins (after the commit)."""

    def __init__(self) -> None:
        self.events: list[Event] = []

    @hookimpl
    def on_event(self, event: Event, workspace: Workspace) -> None:
        self.events.append(event)


def workspace_on(storage: Any) -> tuple[Workspace, Recorder, str]:
    """A workspace on ``storage`` with a programme of its own, and its event recorder."""
    pm = get_plugin_manager(load_entry_points=False)
    recorder = Recorder()
    pm.register(recorder, name="recorder")
    workspace = Workspace(storage, pm)
    programme_id = f"b{next(_names)}"
    workspace.save_programme(programme_toml(programme_id))
    return workspace, recorder, programme_id


def stored(workspace: Workspace, programme_id: str) -> dict[str, Any]:
    with workspace.storage.unit_of_work(read_only=True) as uow:
        journeys = list(uow.journeys.iter(programme_id))
        personal = [uow.personal.get(programme_id, j.participant_id) for j in journeys]
    return {"journeys": journeys, "personal": personal}


def write_files(folder: Path, files: dict[str, list[str]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, lines in files.items():
        (folder / f"{name}.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def outcome(workspace: Workspace, programme_id: str, folder: Path, **options: Any) -> object:
    """The summary's lines and warnings, or the problems, of one import."""
    try:
        summary = import_directory(workspace, programme_id, folder, today=TODAY, **options)
    except DataError as error:
        return ("refused", str(error))
    return (summary.lines(), summary.warnings)


PARTICIPANTS = "participant_id,cohort_id,entry_date,first_name"
EXITS = "participant_id,exit_date,exit_reason,destination"
FOLLOWUPS = "participant_id,contact_date,situation"


def straddling(folder: Path) -> Path:
    """Six participants whose rows are spread over the files in no id order."""
    return write_files(
        folder,
        {
            "participants": [
                PARTICIPANTS,
                *(f"P{n},C1,2024-0{n}-01,Name{n}" for n in (6, 3, 1, 5, 2, 4)),
            ],
            "exits": [
                EXITS,
                *(f"P{n},2024-1{n % 3}-01,completed,employment" for n in (4, 1, 6, 3)),
            ],
            "followups": [
                FOLLOWUPS,
                "P3,2025-01-02,employment",
                "P6,2025-01-10,training",
                "P1,2025-02-01,job_search",
                "P4,2025-03-01,employment",
                "P1,2025-03-05,employment",
                "P3,2025-04-02,employment",
            ],
        },
    )


def test_a_participants_rows_far_apart_in_the_files_are_planned_together(
    open_storage: Opener, tmp_path: Path
) -> None:
    folder = straddling(tmp_path / "site")
    storage = open_storage()
    whole, whole_events, whole_id = workspace_on(storage)
    batched, batched_events, batched_id = workspace_on(storage)
    expected = outcome(whole, whole_id, folder)
    assert expected == (
        [
            "participants: 6 added, 0 updated, 0 unchanged",
            "exits: 4 added, 0 updated, 0 unchanged",
            "followups: 6 added, 0 updated, 0 unchanged",
        ],
        (),
    )
    assert outcome(batched, batched_id, folder, batch_size=2) == expected
    assert stored(batched, batched_id) == stored(whole, whole_id)
    p3 = next(j for j in stored(batched, batched_id)["journeys"] if j.participant_id == "P3")
    assert [c.contact_date.isoformat() for c in p3.contacts] == ["2025-01-02", "2025-04-02"]
    assert sorted(map(repr, batched_events.events)) == sorted(
        repr(e).replace(whole_id, batched_id) for e in whole_events.events
    )
    # Re-importing in batches changes nothing.
    again = outcome(batched, batched_id, folder, batch_size=2)
    assert again == (
        [
            "participants: 0 added, 0 updated, 6 unchanged",
            "exits: 0 added, 0 updated, 4 unchanged",
            "followups: 0 added, 0 updated, 6 unchanged",
        ],
        (),
    )


def test_a_problem_in_the_last_batch_writes_nothing(open_storage: Opener, tmp_path: Path) -> None:
    storage = open_storage()
    workspace, recorder, programme_id = workspace_on(storage)
    first = straddling(tmp_path / "first")
    import_directory(workspace, programme_id, first, today=TODAY)
    before = stored(workspace, programme_id)
    recorder.events.clear()
    second = write_files(
        tmp_path / "second",
        {
            "participants": [
                PARTICIPANTS,
                *(f"P{n},C2,2024-0{n}-01,Other{n}" for n in range(1, 10)),
            ],
            # P9, the last participant and so the last batch, leaves before entering.
            "exits": [
                EXITS,
                "P7,2024-12-01,completed,training",
                "P9,2024-08-01,completed,training",
            ],
        },
    )
    with pytest.raises(DataError) as error:
        import_directory(workspace, programme_id, second, today=TODAY, batch_size=2)
    assert [str(p) for p in error.value.problems] == [
        f"{second / 'exits.csv'}:3: exit_date: participant P9 cannot leave on 2024-08-01, "
        "before entering the programme on 2024-09-01"
    ]
    # The earlier batches (P1 to P8) were written, then rolled back with the rest.
    assert stored(workspace, programme_id) == before
    assert recorder.events == []


AS_DAYS = st.integers(min_value=0, max_value=400)


@st.composite
def sites(draw: st.DrawFn) -> dict[str, list[str]]:
    """Small folders of files, sometimes with broken rules, rows in any order."""
    ids = draw(st.lists(st.integers(1, 12), min_size=1, max_size=8, unique=True))
    start = dt.date(2024, 1, 1)
    participants, exits, followups = [PARTICIPANTS], [EXITS], [FOLLOWUPS]
    for n in ids:
        entry = start + dt.timedelta(days=draw(AS_DAYS))
        participants.append(f"P{n:02},C{draw(st.integers(1, 2))},{entry},N{n}")
        if draw(st.booleans()):
            left = entry + dt.timedelta(days=draw(st.integers(-5, 100)))
            exits.append(f"P{n:02},{left},completed,employment")
            for _ in range(draw(st.integers(0, 3))):
                day = left + dt.timedelta(days=draw(st.integers(-3, 60)))
                followups.append(
                    f"P{n:02},{day},{draw(st.sampled_from(['employment', 'training']))}"
                )
    order = st.permutations
    return {
        "participants": [participants[0], *draw(order(participants[1:]))],
        "exits": [exits[0], *draw(order(exits[1:]))],
        "followups": [followups[0], *draw(order(followups[1:]))],
    }


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    imports=st.lists(st.tuples(sites(), st.booleans()), min_size=1, max_size=2),
    batch_size=st.integers(1, 3),
)
def test_batched_and_unbatched_imports_agree(
    open_storage: Opener, imports: list[tuple[dict[str, list[str]], bool]], batch_size: int
) -> None:
    storage = open_storage()
    whole, whole_events, whole_id = workspace_on(storage)
    batched, batched_events, batched_id = workspace_on(storage)
    with tempfile.TemporaryDirectory() as name:
        for number, (files, replace) in enumerate(imports):
            folder = write_files(Path(name) / str(number), files)
            options = {"replace": replace, "confirm_removal": True}
            dry = outcome(whole, whole_id, folder, dry_run=True, **options)
            found = outcome(
                batched, batched_id, folder, dry_run=True, batch_size=batch_size, **options
            )
            assert found == dry
            expected = outcome(whole, whole_id, folder, **options)
            found = outcome(batched, batched_id, folder, batch_size=batch_size, **options)
            assert found == expected
            assert stored(batched, batched_id) == stored(whole, whole_id)
    assert sorted(repr(e).replace(batched_id, "_") for e in batched_events.events) == sorted(
        repr(e).replace(whole_id, "_") for e in whole_events.events
    )
