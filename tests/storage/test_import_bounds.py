"""Identifiers at and past their length limit, imported into every backend (issue 14, attack 7).

A 100,000-character id once reached PostgreSQL and failed there with a raw index
error. Now the longest identifier allowed is stored and read back exactly on
every backend, and one past it is refused at its line before anything is written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from insertion_core import DataError, Workspace
from insertion_core.domain.identifiers import MAX_IDENTIFIER_LENGTH
from insertion_core.importing import import_file
from insertion_core.plugins import get_plugin_manager

from .conftest import Opener, programme_toml

TODAY = dt.date(2026, 6, 30)
HEAD = "participant_id,cohort_id,entry_date,counsellor,last_name\n"
#: The longest identifiers allowed, in two-byte characters: 200 bytes of UTF-8 each.
LONGEST = "\u00e9" * MAX_IDENTIFIER_LENGTH


def workspace_on(storage: Any) -> Workspace:
    workspace = Workspace(storage, get_plugin_manager(load_entry_points=False))
    workspace.save_programme(programme_toml("p"))
    return workspace


def test_the_longest_identifiers_are_stored_exactly(open_storage: Opener, tmp_path: Path) -> None:
    workspace = workspace_on(open_storage())
    path = tmp_path / "participants.csv"
    path.write_text(
        HEAD + f"{LONGEST},{LONGEST[:-1]}c,2026-01-05,{LONGEST[:-1]}x,{'N' * 100_000}\n",
        encoding="utf-8",
    )
    summary = import_file(workspace, "p", "participants", path, today=TODAY)
    assert summary.lines() == ["participants: 1 added, 0 updated, 0 unchanged"]
    journey = workspace.journey("p", LONGEST)
    assert (journey.participant.cohort_id, journey.participant.counsellor) == (
        LONGEST[:-1] + "c",
        LONGEST[:-1] + "x",
    )
    with workspace.storage.unit_of_work(read_only=True) as uow:
        personal = uow.personal.get("p", LONGEST)
    assert personal is not None and personal.last_name == "N" * 100_000
    again = import_file(workspace, "p", "participants", path, today=TODAY)
    assert not again.changed


@pytest.mark.parametrize("column", ["participant_id", "cohort_id", "counsellor"])
def test_a_100000_character_identifier_is_refused_at_its_line_and_nothing_is_written(
    open_storage: Opener, tmp_path: Path, column: str
) -> None:
    workspace = workspace_on(open_storage())
    values = {"participant_id": "P2", "cohort_id": "C1", "counsellor": "cip-1"}
    values[column] = "X" * 100_000
    path = tmp_path / "participants.csv"
    path.write_text(
        HEAD + "P1,C1,2026-01-05,cip-1,\n"
        f"{values['participant_id']},{values['cohort_id']},2026-01-05,{values['counsellor']},\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as caught:
        import_file(workspace, "p", "participants", path, today=TODAY)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:3: {column}: an identifier of 100,000 characters; at most 100 are allowed"
    ]
    assert list(workspace.journeys("p")) == []
