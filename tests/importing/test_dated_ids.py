"""An identifier Excel has turned into a date is refused, saying so; a column of dates is kept."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from insertion_core import DataError, Workspace
from insertion_core.importing import import_file

from .conftest import snapshot, write

TODAY = dt.date(2025, 6, 30)
HEAD = "participant_id;cohort_id;entry_date\n"


def refused(workspace: Workspace, path: Path) -> list[str]:
    before = snapshot(workspace)
    with pytest.raises(DataError) as info:
        import_file(workspace, "demo", "participants", path, today=TODAY)
    assert snapshot(workspace) == before
    return [str(p) for p in info.value.problems]


@pytest.mark.parametrize("value", ["2024-09-01", "1/9/2024"])
def test_cohort_id_turned_into_a_date_is_refused(
    workspace: Workspace, tmp_path: Path, value: str
) -> None:
    f = write(tmp_path / "p.csv", HEAD + f"P1;2024-S1;09/09/2024\nP2;{value};09/09/2024\n")
    assert refused(workspace, f) == [
        f"{f}:3: cohort_id: {value!r} is a date, where the other identifiers of this column "
        "are not: Excel most likely turned the identifier typed here into a date, and it is "
        "lost; format the column as text and type the identifier again"
    ]


def test_participant_id_turned_into_a_date_is_refused(workspace: Workspace, tmp_path: Path) -> None:
    f = write(tmp_path / "p.csv", HEAD + "3/11/2024;C1;09/09/2024\nP2;C1;09/09/2024\n")
    assert refused(workspace, f) == [
        f"{f}:2: participant_id: '3/11/2024' is a date, where the other identifiers of this "
        "column are not: Excel most likely turned the identifier typed here into a date, and "
        "it is lost; format the column as text and type the identifier again"
    ]


def test_a_column_of_dates_is_the_sites_choice(workspace: Workspace, tmp_path: Path) -> None:
    f = write(tmp_path / "p.csv", HEAD + "P1;2024-09-01;09/09/2024\nP2;2024-09-01;09/09/2024\n")
    import_file(workspace, "demo", "participants", f, today=TODAY)
    cohorts = {j.participant.cohort_id for j in snapshot(workspace)["journeys"]}
    assert cohorts == {"2024-09-01"}


def test_ids_that_only_hold_digits_and_slashes_are_not_dates(
    workspace: Workspace, tmp_path: Path
) -> None:
    f = write(tmp_path / "p.csv", HEAD + "P1;2024/25;09/09/2024\nP2;C1;09/09/2024\n")
    import_file(workspace, "demo", "participants", f, today=TODAY)
    assert len(snapshot(workspace)["journeys"]) == 2
