"""The canonical files in the French Excel dialect import into every backend and read back identical."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

from insertion_core import Workspace
from insertion_core.default_plugins.memory import MemoryStorage
from insertion_core.importing import import_directory
from insertion_core.plugins import get_plugin_manager

from .conftest import Opener

GONESSE = Path(__file__).resolve().parents[2] / "examples" / "gonesse"
sys.path.insert(0, str(GONESSE))

from generate import AS_OF, write  # noqa: E402


@pytest.fixture(scope="module")
def dialects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folders = {}
    for dialect in ("plain", "excel-fr"):
        folder = tmp_path_factory.mktemp(dialect)
        write(folder, dialect)
        folders[dialect] = folder
    raw = (folders["excel-fr"] / "participants.csv").read_bytes()
    assert b";" in raw.splitlines()[0] and b"/" in raw.splitlines()[1]
    return folders


def contents(workspace: Workspace) -> dict[str, Any]:
    """Everything stored for Gonesse: journeys, personal data, cohorts."""
    journeys = list(workspace.journeys("gonesse"))
    with workspace.storage.unit_of_work() as uow:
        personal = [uow.personal.get("gonesse", j.participant_id) for j in journeys]
        cohorts = uow.cohorts.list("gonesse")
    return {"journeys": journeys, "personal": personal, "cohorts": cohorts}


def imported(storage: Any, folder: Path) -> tuple[Workspace, dict[str, Any]]:
    workspace = Workspace(storage, get_plugin_manager(load_entry_points=False))
    workspace.load_programme(GONESSE / "programme.toml")
    summary = import_directory(workspace, "gonesse", folder, today=AS_OF)
    assert summary.changed
    return workspace, contents(workspace)


def test_french_excel_files_read_back_identical_to_the_plain_ones_on_every_backend(
    open_storage: Opener, dialects: dict[str, Path]
) -> None:
    _, reference = imported(MemoryStorage(), dialects["plain"])
    workspace, stored = imported(open_storage(), dialects["excel-fr"])
    assert len(stored["journeys"]) == 229
    assert stored == reference
    again = import_directory(workspace, "gonesse", dialects["excel-fr"], today=AS_OF)
    assert not again.changed  # re-importing the same files changes nothing
    assert contents(workspace) == reference
