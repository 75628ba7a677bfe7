"""The optional capabilities are Protocols the built-ins really implement, and ``py.typed`` ships."""

from __future__ import annotations

import importlib.metadata
import importlib.resources
import tomllib
from pathlib import Path

import attrs

from insertion_core.default_plugins.memory import MemoryStorage
from insertion_core.default_plugins.sql import SqlStorage
from insertion_core.outcomes import BUILTIN_SETS, KeyFigures, TitledSet
from insertion_core.storage import BulkSave, FactsSource

ROOT = Path(__file__).parents[1]


def test_the_sql_storage_offers_bulk_saves_and_pushed_down_facts(tmp_path: Path) -> None:
    storage = SqlStorage.open(f"sqlite:///{tmp_path / 'c.db'}")
    storage.initialise()
    try:
        with storage.unit_of_work() as uow:
            assert isinstance(uow.journeys, BulkSave)
            assert isinstance(uow, FactsSource)
    finally:
        storage.close()


def test_the_memory_storage_offers_bulk_saves_only() -> None:
    with MemoryStorage().unit_of_work() as uow:
        assert isinstance(uow.journeys, BulkSave)
        assert not isinstance(uow, FactsSource)


@attrs.frozen
class TitledFigures(KeyFigures):
    """The key figures under a site's own heading."""

    def title(self, locale: str) -> str:
        return "Chiffres clés du site" if locale == "fr" else "The site's key figures"


def test_a_set_with_a_title_is_a_titled_set() -> None:
    assert isinstance(TitledFigures(), TitledSet)
    assert not any(isinstance(s, TitledSet) for s in BUILTIN_SETS)


def test_py_typed_is_in_the_package() -> None:
    assert importlib.resources.files("insertion_core").joinpath("py.typed").is_file()


def test_py_typed_is_in_the_wheel() -> None:
    """An installed wheel lists it; an editable install ships the package folder whole."""
    files = importlib.metadata.distribution("insertion-core").files or []
    packaged = [str(f) for f in files if str(f).startswith("insertion_core/")]
    if packaged:
        assert "insertion_core/py.typed" in packaged
        return
    wheel = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["hatch"][
        "build"
    ]["targets"]["wheel"]
    assert wheel == {"packages": ["src/insertion_core"]}  # every file of the folder, no filter
    gitignore = ROOT / ".gitignore"  # hatch leaves out what git ignores
    ignored = gitignore.read_text(encoding="utf-8").split() if gitignore.exists() else []
    assert not any(Path("src/insertion_core/py.typed").match(pattern) for pattern in ignored)
