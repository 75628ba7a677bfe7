"""The built-in storages open through the real plugin manager, as the command line opens them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from insertion_core import Workspace
from insertion_core.default_plugins.memory import MemoryStorage
from insertion_core.default_plugins.sql import SqlStorage

from .conftest import programme_toml


@pytest.fixture(
    params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]
)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "memory":
        return "memory://workspace"
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'insertion.db'}"
    return request.getfixturevalue("pg_url").render_as_string(hide_password=False)


def test_a_workspace_opens_each_built_in_storage(url: str) -> None:
    with Workspace.open(url, initialise=True) as workspace:
        assert isinstance(workspace.storage, MemoryStorage | SqlStorage)
        workspace.save_programme(programme_toml("gonesse"), "programme.toml")
        assert workspace.programme_ids() == ["gonesse"]
    if not url.startswith("memory:"):  # a SQL database outlives its workspace
        with Workspace.open(url) as workspace:
            assert workspace.programme_ids() == ["gonesse"]
