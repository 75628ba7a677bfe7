"""A database at another schema version than the library: refused with what to do, never misread."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import URL, text

from insertion_core import get_plugin_manager
from insertion_core.cli import make_cli
from insertion_core.default_plugins.sql import SqlStorage
from insertion_core.default_plugins.sql.migrate import (
    current_revision,
    downgrade,
    head_revision,
    shipped_head,
)
from insertion_core.domain.programme import loads_programme
from insertion_core.errors import StorageError

from .conftest import programme_toml

NEWER = "9999_from_the_future"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an initialised database holding programme "p"."""
    if request.param == "sqlite":
        address = f"sqlite:///{tmp_path / 'insertion.db'}"
    else:
        pg: URL = request.getfixturevalue("pg_url")
        address = pg.render_as_string(hide_password=False)
    storage = SqlStorage.open(address)
    storage.initialise()
    with storage.unit_of_work() as uow:
        uow.programmes.save(loads_programme(programme_toml("p")), programme_toml("p"))
        uow.commit()
    storage.close()
    yield address


def set_revision(address: str, revision: str) -> None:
    storage = SqlStorage.open(address)
    with storage.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :r"), {"r": revision})
    storage.close()


def revision_of(address: str) -> str | None:
    storage = SqlStorage.open(address)
    with storage.engine.connect() as connection:
        found = current_revision(connection)
    storage.close()
    return found


def insertion(address: str, *args: str) -> Result:
    return CliRunner().invoke(make_cli(get_plugin_manager()), ["--db", address, *args])


def newer_message() -> str:
    return (
        f"this database was written by a newer insertion-core (schema {NEWER}); "
        f"this library knows up to {head_revision()}: upgrade insertion-core"
    )


def test_a_newer_schema_is_refused_by_the_library(url: str) -> None:
    set_revision(url, NEWER)
    storage = SqlStorage.open(url)
    with pytest.raises(StorageError) as caught:
        storage.unit_of_work(read_only=True)
    assert str(caught.value).endswith(newer_message())
    with pytest.raises(StorageError) as caught:
        storage.initialise()
    assert str(caught.value).endswith(newer_message())
    assert not storage.is_current()
    storage.close()
    assert revision_of(url) == NEWER  # init left it alone


@pytest.mark.parametrize(
    "command",
    [
        ("programme", "list"),
        ("report", "--programme", "p", "--as-of", "2026-01-01"),
        ("followups", "due", "--programme", "p", "--as-of", "2026-01-01"),
        ("init",),
    ],
)
def test_every_command_refuses_a_newer_schema_with_the_version_needed(
    url: str, command: tuple[str, ...]
) -> None:
    set_revision(url, NEWER)
    result = insertion(url, *command)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    assert result.stderr.startswith("Error: ")
    assert result.stderr.rstrip("\n").endswith(newer_message())
    assert "Traceback" not in result.output
    assert revision_of(url) == NEWER


def test_an_older_schema_asks_for_init_which_upgrades_it(url: str) -> None:
    storage = SqlStorage.open(url)
    with storage.engine.begin() as connection:
        downgrade(connection, "0002")
    storage.close()
    result = insertion(url, "programme", "list")
    assert result.exit_code == 1
    assert result.stderr.rstrip("\n").endswith(
        f"the database schema (0002) is older than this insertion-core's ({head_revision()}): "
        "run `insertion init` to upgrade it"
    )
    result = insertion(url, "init")
    assert result.exit_code == 0, result.output
    result = insertion(url, "programme", "list")
    assert (result.exit_code, result.stdout) == (0, "p\n")


def test_a_database_without_schema_asks_for_init(tmp_path: Path) -> None:
    (tmp_path / "empty.db").touch()
    result = insertion(f"sqlite:///{tmp_path / 'empty.db'}", "programme", "list")
    assert result.exit_code == 1
    assert result.stderr.endswith("the database has no schema yet: run `insertion init`\n")


def test_a_missing_sqlite_file_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "typo.db"
    for command in (("programme", "list"), ("report", "--programme", "p")):
        result = insertion(f"sqlite:///{path}", *command)
        assert (result.exit_code, result.stdout) == (1, "")
        assert result.stderr == f"Error: no database at {path}: run `insertion init` first\n"
    assert list(tmp_path.iterdir()) == []
    storage = SqlStorage.open(f"sqlite:///{path}")
    assert not storage.is_current()
    with pytest.raises(StorageError, match="no database at"):
        storage.unit_of_work(read_only=True)
    storage.close()
    assert not path.exists()


def test_init_creates_a_sqlite_file_its_owner_only_may_read(tmp_path: Path) -> None:
    path = tmp_path / "site.db"
    result = insertion(f"sqlite:///{path}", "init")
    assert (result.exit_code, result.stdout) == (0, f"Database ready: sqlite:///{path}\n")
    assert path.stat().st_mode & 0o777 == 0o600
    storage = SqlStorage.open(f"sqlite:///{path}")
    with storage.unit_of_work() as uow:  # the -wal and -shm files exist while it is open
        uow.programmes.ids()
        beside = [p for p in tmp_path.iterdir() if p != path]
        assert {p.name for p in beside} == {"site.db-wal", "site.db-shm"}
        assert all(p.stat().st_mode & 0o777 == 0o600 for p in beside)
    storage.close()


def test_init_leaves_the_umask_as_it_was(tmp_path: Path) -> None:
    before = os.umask(0o022)
    try:
        assert insertion(f"sqlite:///{tmp_path / 'a.db'}", "init").exit_code == 0
        after = os.umask(0o022)
    finally:
        os.umask(before)
    assert after == 0o022


def test_the_head_read_from_the_migration_files_is_alembics() -> None:
    assert shipped_head() == head_revision()


def test_reading_a_current_database_does_not_import_alembic(url: str) -> None:
    """The revision check of a read is one query; alembic loads only to migrate or to explain."""
    program = (
        "import sys\n"
        "from insertion_core.default_plugins.sql import SqlStorage\n"
        "storage = SqlStorage.open(sys.argv[1])\n"
        "with storage.unit_of_work(read_only=True) as uow:\n"
        "    print(uow.programmes.ids())\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'alembic'}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program, url], capture_output=True, text=True, check=True
    )
    assert done.stdout.splitlines() == ["['p']", "[]"]
