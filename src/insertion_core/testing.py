"""Pytest fixtures for plugin authors, shipped with insertion-core.

``pyproject.toml`` registers this module in the ``pytest11`` entry point
group, so every test session where insertion-core is installed has these
fixtures, and a plugin's own tests stay short::

    import pytest
    from insertion_core.testing import make_programme

    import my_plugin

    @pytest.fixture
    def insertion_plugins():
        return [my_plugin]

    def test_my_format(insertion_workspace, insertion_cli):
        insertion_workspace.save_programme(make_programme())
        result = insertion_cli("report", "--programme", "sample", "--format", "mine")
        assert "..." in result.stdout

The fixtures, each built only when a test asks for it:

- ``insertion_plugins``: the plugins under test; override it (default: none).
- ``insertion_db_url``: the throw-away database URL (default ``memory://``).
- ``insertion_plugin_manager``: a fresh manager, the built-ins and
  ``insertion_plugins`` registered, no entry points.
- ``insertion_workspace``: a :class:`~insertion_core.Workspace` on
  ``insertion_db_url``, initialised, closed after the test.
- ``insertion_cli``: invoke the ``insertion`` command line on that workspace's
  data; an :class:`InsertionCli`.

Outside fixtures: :func:`make_programme` writes programme TOML,
:func:`register_plugin` registers one more plugin on a manager, and
:func:`postgresql_test_url` gives the test PostgreSQL server's URL.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

import click
import pytest
from click.testing import CliRunner, Result

from .cli import make_cli
from .hookspecs import hookimpl
from .plugins import PluginManager, get_plugin_manager
from .storage import Storage, UnitOfWork
from .workspace import Workspace

__all__ = [
    "POSTGRESQL_URL_ENV",
    "SAMPLE_PROGRAMME",
    "InsertionCli",
    "insertion_cli",
    "insertion_db_url",
    "insertion_plugin_manager",
    "insertion_plugins",
    "insertion_workspace",
    "make_programme",
    "postgresql_test_url",
    "register_plugin",
]

#: The programme :func:`make_programme` starts from: id ``sample``, English
#: labels, two phases, six months of follow-up, no disclosure control (small
#: test populations would otherwise be all suppressed).
SAMPLE_PROGRAMME: Mapping[str, Any] = {
    "programme": {"id": "sample", "name": "Sample programme", "locale": "en"},
    "eligibility": {"min_age": 16, "max_age": 25},
    "phases": [
        {"id": "welcome", "name": "Welcome and assessment", "weeks": 2},
        {"id": "projects", "name": "Projects", "weeks": 16},
    ],
    "followup": {"months": 6, "checkpoints": [1, 3, 6]},
    "outcomes": {"positive": ["employment", "training"]},
    "reporting": {"min_cell": 0},
}


def make_programme(**overrides: Any) -> str:
    """Programme TOML text: :data:`SAMPLE_PROGRAMME` with ``overrides`` applied, one per table.

    A mapping is merged into the table of that name (a key set to None is
    removed); anything else, such as the ``phases`` list, replaces it; a table
    set to None is left out. ``make_programme(followup={"months": 12,
    "checkpoints": [3, 6, 12]})`` keeps every other key.
    """
    tables: dict[str, Any] = {name: _copy(value) for name, value in SAMPLE_PROGRAMME.items()}
    for name, value in overrides.items():
        if value is None:
            tables.pop(name, None)
        elif isinstance(value, Mapping) and isinstance(tables.get(name), dict):
            for key, item in value.items():
                if item is None:
                    tables[name].pop(key, None)
                else:
                    tables[name][key] = item
        else:
            tables[name] = _copy(value)
    return _toml(tables)


def _copy(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {k: _copy(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_copy(v) for v in value]
    return value


_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _value(key)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        escaped = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
        return f'"{escaped}"'
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(f"make_programme cannot write {value!r} as a TOML value")


def _toml(tables: Mapping[str, Any], prefix: str = "") -> str:
    """TOML for nested tables of scalars and lists, and for lists of tables (``[[phases]]``)."""
    out: list[str] = []
    for name, value in tables.items():
        path = f"{prefix}{_key(name)}"
        if isinstance(value, Mapping):
            scalars = {k: v for k, v in value.items() if not isinstance(v, Mapping)}
            nested = {k: v for k, v in value.items() if isinstance(v, Mapping)}
            out.append(f"[{path}]")
            out += [f"{_key(k)} = {_value(v)}" for k, v in scalars.items()]
            out.append("")
            if nested:
                out.append(_toml(nested, f"{path}."))
        elif isinstance(value, list) and value and all(isinstance(v, Mapping) for v in value):
            for item in value:
                out.append(f"[[{path}]]")
                out += [f"{_key(k)} = {_value(v)}" for k, v in item.items()]
                out.append("")
        else:
            raise TypeError(f"make_programme: {path} must be a table or a list of tables")
    return "\n".join(out)


#: The test PostgreSQL server's URL (``tests/with-postgresql.sh`` sets it).
POSTGRESQL_URL_ENV = "INSERTION_TEST_POSTGRESQL_URL"


def postgresql_test_url() -> str:
    """The test PostgreSQL server's URL, from :data:`POSTGRESQL_URL_ENV`.

    Without it the calling test is skipped, except under CI (``CI=true``),
    where a missing server is a failure rather than a test quietly not run.
    """
    url = os.environ.get(POSTGRESQL_URL_ENV)
    if url:
        return url
    message = f"{POSTGRESQL_URL_ENV} is not set: run the tests through tests/with-postgresql.sh"
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def register_plugin(pm: PluginManager, plugin: object, name: str | None = None) -> str:
    """Register ``plugin`` (a module or an object with hook implementations) and check it.

    A misspelt hook name or argument fails here, as it would when the plugin
    is loaded from its entry point. Returns the name it was registered under.
    """
    registered = pm.register(plugin, name=name)
    if registered is None:
        raise ValueError(f"plugin {name or plugin!r} is blocked on this plugin manager")
    pm.check_pending()
    return registered


class _PinnedStorage:
    """A storage that hands out one workspace's storage for its URL, left open on close.

    The real ``memory://`` storage gives every opening a private store; pinning
    lets the command line, run through :class:`InsertionCli`, see and change
    the data of ``insertion_workspace``.
    """

    def __init__(self, storage: Storage) -> None:
        self._storage = storage

    @property
    def url(self) -> str:
        return self._storage.url

    def initialise(self) -> None:
        self._storage.initialise()

    def unit_of_work(self, *, read_only: bool = False) -> UnitOfWork:
        return self._storage.unit_of_work(read_only=read_only)

    def close(self) -> None:
        """Leave the storage open: the fixture that opened it closes it."""

    def __getattr__(self, name: str) -> Any:
        return getattr(self._storage, name)


class _PinPlugin:
    """Answers ``get_storage`` for one URL with a pinned storage, before any other plugin."""

    def __init__(self, url: str, storage: Storage) -> None:
        self.url = url
        self.storage = storage

    @hookimpl(tryfirst=True)
    def get_storage(self, url: str) -> Storage | None:
        return _PinnedStorage(self.storage) if url == self.url else None


class InsertionCli:
    """Runs ``insertion --db URL ARGS...`` in-process, with the fixture's plugin manager.

    ``insertion_cli("report", "--programme", "sample")`` returns click's
    :class:`~click.testing.Result`, with ``stdout`` and ``stderr`` apart.
    """

    def __init__(self, pm: PluginManager, url: str) -> None:
        self.pm = pm
        self.url = url
        self.runner = CliRunner()
        self._cli: click.Group | None = None

    @property
    def cli(self) -> click.Group:
        """The ``insertion`` group with the commands of every registered plugin (built once)."""
        if self._cli is None:
            self._cli = make_cli(self.pm)
        return self._cli

    def __call__(
        self,
        *args: str,
        input: str | bytes | None = None,
        env: Mapping[str, str | None] | None = None,
        expect_exit: int | None = 0,
    ) -> Result:
        """Invoke the command; fail the test when the exit code is not ``expect_exit``.

        :param expect_exit: the exit code the test expects; None checks nothing.
        """
        result = self.runner.invoke(
            self.cli,
            ["--db", self.url, *args],
            input=input,
            env=env,
            catch_exceptions=expect_exit != 0,
        )
        if expect_exit is not None and result.exit_code != expect_exit:
            raise AssertionError(
                f"insertion {' '.join(args)} exited with {result.exit_code}, "
                f"expected {expect_exit}\n--- stdout\n{result.stdout}"
                f"--- stderr\n{result.stderr}"
            )
        return result


@pytest.fixture
def insertion_plugins() -> Sequence[object]:
    """The plugins under test, registered on ``insertion_plugin_manager``; override it."""
    return ()


@pytest.fixture
def insertion_db_url() -> str:
    """The database the workspace and the command line use; override it to test a backend."""
    return "memory://"


@pytest.fixture
def insertion_plugin_manager(insertion_plugins: Sequence[object]) -> PluginManager:
    """A fresh plugin manager: the built-ins and ``insertion_plugins``, no entry points.

    Strict, so a built-in failing to load fails the test. Plugins registered
    later with :func:`register_plugin` reach workspaces opened after that.
    """
    pm = get_plugin_manager(load_entry_points=False, strict=True)
    for plugin in insertion_plugins:
        register_plugin(pm, plugin)
    return pm


@pytest.fixture
def insertion_workspace(
    insertion_plugin_manager: PluginManager, insertion_db_url: str
) -> Iterator[Workspace]:
    """An initialised workspace on ``insertion_db_url``, shared with ``insertion_cli``."""
    workspace = Workspace.open(
        insertion_db_url, plugin_manager=insertion_plugin_manager, initialise=True
    )
    pin = _PinPlugin(insertion_db_url, workspace.storage)
    insertion_plugin_manager.register(pin, name="insertion_core.testing.pinned_storage")
    try:
        yield workspace
    finally:
        insertion_plugin_manager.unregister(pin)
        workspace.close()


@pytest.fixture
def insertion_cli(
    insertion_plugin_manager: PluginManager, insertion_db_url: str, insertion_workspace: Workspace
) -> InsertionCli:
    """Invoke the command line on the data of ``insertion_workspace``."""
    return InsertionCli(insertion_plugin_manager, insertion_db_url)
