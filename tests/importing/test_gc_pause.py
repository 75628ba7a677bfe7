"""The cycle collector runs less often during an import, and its thresholds come back after."""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from insertion_core.errors import DataError
from insertion_core.importing import import_directory
from insertion_core.importing.gc_pause import IMPORT_THRESHOLD, rare_collections

from .conftest import open_workspace, write

T = TypeVar("T")


@pytest.fixture(autouse=True)
def default_thresholds() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*before)


def test_the_first_threshold_is_raised_inside_and_restored_after() -> None:
    with rare_collections():
        assert gc.get_threshold() == (IMPORT_THRESHOLD, 10, 10)
    assert gc.get_threshold() == (700, 10, 10)


def test_the_thresholds_are_restored_after_an_exception() -> None:
    with pytest.raises(RuntimeError), rare_collections():
        raise RuntimeError("boom")
    assert gc.get_threshold() == (700, 10, 10)


def test_nested_and_overlapping_imports_restore_the_first_thresholds() -> None:
    inside = threading.Event()
    leave = threading.Event()

    def other_import() -> None:
        with rare_collections():
            inside.set()
            leave.wait(5)

    thread = threading.Thread(target=other_import)
    with rare_collections():
        thread.start()
        inside.wait(5)
        with rare_collections():
            assert gc.get_threshold()[0] == IMPORT_THRESHOLD
    assert gc.get_threshold()[0] == IMPORT_THRESHOLD  # the other import still runs
    leave.set()
    thread.join(5)
    assert gc.get_threshold() == (700, 10, 10)


@pytest.mark.parametrize("first", [0, 100_000])
def test_collection_turned_off_or_rarer_already_is_left_alone(first: int) -> None:
    gc.set_threshold(first, 10, 10)
    with rare_collections():
        assert gc.get_threshold() == (first, 10, 10)
    assert gc.get_threshold() == (first, 10, 10)


def test_an_import_runs_with_rare_collections_and_restores_them(tmp_path: Path) -> None:
    seen: list[tuple[int, int, int]] = []

    def progress(label: str, total: int | None, rows: Iterable[T]) -> Iterable[T]:
        seen.append(gc.get_threshold())
        return rows

    workspace = open_workspace()
    write(tmp_path / "participants.csv", "participant_id,cohort_id,entry_date\nP1,C1,2024-09-09\n")
    import_directory(workspace, "demo", tmp_path, today=dt.date(2025, 1, 1), progress=progress)
    assert seen == [(IMPORT_THRESHOLD, 10, 10)]
    assert gc.get_threshold() == (700, 10, 10)
    write(tmp_path / "participants.csv", "participant_id,cohort_id,entry_date\nP2,C1,bad\n")
    with pytest.raises(DataError):
        import_directory(workspace, "demo", tmp_path, progress=progress)
    assert seen[1:] == [(IMPORT_THRESHOLD, 10, 10)]
    assert gc.get_threshold() == (700, 10, 10)
