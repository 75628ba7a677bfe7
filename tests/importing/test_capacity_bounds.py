"""A cohort's capacity is a whole number from 1 to 100,000: a huge one is refused at its line,
never passed on to the database (where it failed with a raw error and no ``file:line``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from insertion_core import Workspace
from insertion_core.importing import import_file

from .conftest import snapshot, write
from .test_messages import TODAY, problems

HEAD = "cohort_id,start_date,end_date,capacity\n"


def test_the_largest_capacity_is_stored(workspace: Workspace, tmp_path: Path) -> None:
    f = write(tmp_path / "cohorts.csv", HEAD + "C1,,,100000\nC2,,,1\n")
    import_file(workspace, "demo", "cohorts", f, today=TODAY)
    cohorts = {c.cohort_id: c.capacity for c in snapshot(workspace)["cohorts"]}
    assert cohorts == {"C1": 100000, "C2": 1}


@pytest.mark.parametrize("capacity", ["100001", "100000000000000000000", "0"])
def test_a_capacity_out_of_range_is_refused_at_its_line(
    workspace: Workspace, tmp_path: Path, capacity: str
) -> None:
    f = write(tmp_path / "cohorts.csv", HEAD + f"C1,,,{capacity}\n")
    assert problems(workspace, "cohorts", f) == [
        f"{f}:2: capacity: {capacity!r} is not a whole number from 1 to 100,000"
    ]


def test_capacity_in_scientific_notation_is_not_a_number(
    workspace: Workspace, tmp_path: Path
) -> None:
    f = write(tmp_path / "cohorts.csv", HEAD + "C1,,,1e20\n")
    assert problems(workspace, "cohorts", f) == [f"{f}:2: capacity: '1e20' is not a number"]


def test_a_very_long_capacity_is_not_printed_whole(workspace: Workspace, tmp_path: Path) -> None:
    f = write(tmp_path / "cohorts.csv", HEAD + "C1,,," + "1" + "0" * 400 + "\n")
    assert problems(workspace, "cohorts", f) == [
        f"{f}:2: capacity: '10000000000000000000'... (401 characters) "
        "is not a whole number from 1 to 100,000"
    ]
