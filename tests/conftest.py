"""Fixtures shared by the test modules: a fresh plugin manager, the test storage, file paths."""

from __future__ import annotations

import importlib
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from insertion_core import Workspace, distributions, get_plugin_manager
from insertion_core import plugins as plugins_module
from insertion_core.distributions import EntryPoint
from insertion_core.plugins import ENTRY_POINT_GROUP, STRICT_ENV, PluginManager

from .fakes import EventRecorder, SharedMemoryPlugin
from .paths import SAMPLE_SITE


@pytest.fixture
def sample_programme() -> Path:
    """The sample site's programme.toml (docs/data-formats.md, The programme file)."""
    return SAMPLE_SITE / "programme.toml"


@pytest.fixture
def storage_plugin() -> SharedMemoryPlugin:
    return SharedMemoryPlugin()


@pytest.fixture
def recorder() -> EventRecorder:
    return EventRecorder()


@pytest.fixture
def pm(storage_plugin: SharedMemoryPlugin, recorder: EventRecorder) -> PluginManager:
    """A fresh manager: built-ins, the test storage and an event recorder, no entry points."""
    manager = get_plugin_manager(load_entry_points=False, strict=False)
    manager.register(storage_plugin, name="test-storage")
    manager.register(recorder, name="test-recorder")
    return manager


@pytest.fixture
def workspace(pm: PluginManager) -> Iterator[Workspace]:
    with Workspace.open("test-memory://ws", plugin_manager=pm, initialise=True) as ws:
        yield ws


PROGRAMME_TOML = """\
[programme]
id = "gonesse"
name = "Fabrique numérique de Gonesse"
locale = "fr"

[eligibility]
min_age = 16
max_age = 25
max_education_level = "2"

[[phases]]
id = "accueil"
name = "Accueil et diagnostic"
weeks = 2

[[phases]]
id = "projets"
name = "Projets"
weeks = 16

[followup]
months = 6
checkpoints = [1, 3, 6]

[outcomes]
positive = ["employment", "training"]
"""


@pytest.fixture
def programme_file(tmp_path: Path) -> Path:
    """A small valid programme file, ``gonesse`` with two phases and age 16-25."""
    path = tmp_path / "programme.toml"
    path.write_text(PROGRAMME_TOML, encoding="utf-8")
    return path


GOOD_PLUGIN = """
from insertion_core import hookimpl

@hookimpl
def register_situation_families(register):
    register("own_business")

@hookimpl
def register_notifiers(register):
    pass
"""

Install = Callable[..., None]


@pytest.fixture
def install(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Install]:
    """Install fake distributions: ``install(dist, version, {ep_name: module_or_value}, {module: source})``.

    Modules are written to a temporary folder on ``sys.path``; ``entry_points``
    as ``insertion_core.plugins`` sees it returns these distributions' entry
    points only, read from their ``*.dist-info`` folders in another temporary
    folder, as :func:`insertion_core.distributions.entry_points` reads them.
    """
    code = tmp_path / "code"
    code.mkdir()
    monkeypatch.syspath_prepend(str(code))
    monkeypatch.delenv(STRICT_ENV, raising=False)
    written: list[str] = []

    def add(
        dist: str,
        version: str,
        eps: dict[str, str],
        modules: dict[str, str] | None = None,
    ) -> None:
        for name, source in (modules or {}).items():
            (code / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
            written.append(name)
        info = tmp_path / "site" / f"{dist.replace('-', '_')}-{version}.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8"
        )
        lines = [f"[{ENTRY_POINT_GROUP}]"] + [f"{n} = {v}" for n, v in eps.items()]
        lines += ["", "[console_scripts]", "unrelated = os:getcwd"]
        (info / "entry_points.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        importlib.invalidate_caches()

    def fake_entry_points(*, group: str) -> list[EntryPoint]:
        return distributions.entry_points(group=group, path=[str(tmp_path / "site")])

    monkeypatch.setattr(plugins_module, "entry_points", fake_entry_points)
    yield add
    for name in written:
        sys.modules.pop(name, None)
