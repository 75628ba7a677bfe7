"""The national-scale benchmark's own parts, on a tiny size: generated files and the plain path.

``make bench`` (benchmarks/scale.py) compares insertion-core with a plain
fast path on generated files. These tests keep that comparison honest: the
files import cleanly, the plain key-figure query gives insertion-core's
counts, and the generator is deterministic and shaped as documented.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from sqlalchemy import create_engine

from insertion_core.cli import make_cli
from insertion_core.domain.calendar import add_months
from insertion_core.plugins import get_plugin_manager

from .storage.conftest import postgresql_base_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
import plain  # benchmarks/ is not a package: on the path just above
import run as bench
import scale
import scale_data

SIZE = 200
STATUSES = ("absent", "excused")


def run(db: str, *args: str) -> Result:
    cli = make_cli(get_plugin_manager(load_entry_points=False))
    return CliRunner().invoke(cli, ["--db", db, *args], catch_exceptions=False)


def key_figures(url: str) -> dict[str, int]:
    """insertion-core's key-figures report, as the plain query's counts."""
    report = run(
        url,
        *("report", "--programme", scale_data.PROGRAMME_ID, "--set", "key_figures"),
        *("--as-of", scale_data.AS_OF.isoformat(), "--min-cell", "0", "--format", "json"),
    )
    assert report.exit_code == 0, report.output
    return scale.cells_of_report(json.loads(report.output))


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    directory = tmp_path_factory.mktemp("scale")
    scale_data.write(SIZE, directory)
    return directory


@pytest.fixture(scope="module")
def plain_figures(files: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, int]:
    database = tmp_path_factory.mktemp("plain") / "plain.db"
    plain.load("sqlite", str(database), files)
    return plain.query("sqlite", str(database), scale_data.AS_OF, scale_data.MONTHS)


def test_the_files_are_shaped_as_documented_and_the_same_on_every_run(
    files: Path, tmp_path: Path
) -> None:
    counts = scale_data.write(SIZE, tmp_path)
    assert counts.participants == SIZE
    assert 0.88 * SIZE <= counts.exits <= 0.98 * SIZE
    assert 2.0 * SIZE <= counts.contacts <= 2.8 * SIZE
    for name in ("participants.csv", "exits.csv", "followups.csv", "attendance.csv"):
        assert (tmp_path / name).read_bytes() == (files / name).read_bytes()
    lines = (tmp_path / "followups.csv").read_text().splitlines()
    assert len(lines) == counts.contacts + 1
    assert max(line.split(",")[1] for line in lines[1:]) <= scale_data.AS_OF.isoformat()
    # absences only of participants still in the programme, in the early warning's window
    absences = [line.split(",") for line in (tmp_path / "attendance.csv").read_text().split()]
    assert absences[0] == list(scale_data.ATTENDANCE_COLUMNS)
    assert len(absences) == counts.attendance + 1 > 1
    exited = {line.split(",")[0] for line in (tmp_path / "exits.csv").read_text().split()}
    window = (scale_data.AS_OF - dt.timedelta(days=13)).isoformat(), scale_data.AS_OF.isoformat()
    for participant, day, half_day, status, reason in absences[1:]:
        assert participant not in exited
        assert window[0] <= day <= window[1]
        assert (half_day, status, reason) in {(h, s, "") for h in ("am", "pm") for s in STATUSES}


def test_the_generator_clamps_months_like_the_library() -> None:
    day = dt.date(2023, 1, 1)
    while day < dt.date(2025, 1, 1):
        for months in (1, 3, 6):
            assert scale_data.add_months(day, months) == add_months(day, months), (day, months)
        day += dt.timedelta(days=1)


def test_the_files_import_cleanly_and_the_plain_query_gives_the_key_figures(
    files: Path, plain_figures: dict[str, int], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'insertion.db'}"
    programme = tmp_path / "programme.toml"
    programme.write_text(scale_data.PROGRAMME_TOML, encoding="utf-8")
    assert run(url, "init").exit_code == 0
    assert run(url, "programme", "load", str(programme)).exit_code == 0
    imported = run(url, "import", "--programme", scale_data.PROGRAMME_ID, str(files))
    assert imported.exit_code == 0, imported.output
    assert f"participants: {SIZE} added" in imported.output
    assert "warning" not in imported.output.lower()
    found = key_figures(url)
    assert found == plain_figures
    # every class and population has members, so the comparison tests each rule
    assert all(count > 0 for count in found.values()), found


def test_sizes_and_backends_are_read_and_bad_ones_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert bench._sizes("100000,10_000") == (10_000, 100_000)
    with pytest.raises(argparse.ArgumentTypeError, match="expected sizes above 0"):
        bench._sizes("0,10000")
    with pytest.raises(ValueError):
        bench._sizes("ten")
    assert bench._backends(["sqlite"], None) == {"SQLite": None}
    assert bench._backends(["sqlite", "postgresql"], "postgresql://h/db") == {
        "SQLite": None,
        "PostgreSQL": "postgresql://h/db",
    }
    assert bench._backends(["postgresql"], None) == {}
    assert "INSERTION_TEST_POSTGRESQL_URL is not set" in capsys.readouterr().err
    with pytest.raises(SystemExit, match="unknown backend 'mysql'; sqlite or postgresql"):
        bench._backends(["mysql"], None)


@pytest.fixture
def pg_schema_url() -> Iterator[str]:
    base = postgresql_base_url()
    admin = create_engine(base, isolation_level="AUTOCOMMIT")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = base.update_query_dict({"options": f"-csearch_path={schema}"})
    yield url.render_as_string(hide_password=False)
    with admin.connect() as connection:
        connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    admin.dispose()


@pytest.mark.postgresql
def test_the_copy_path_on_postgresql_gives_the_same_key_figures(
    files: Path, plain_figures: dict[str, int], pg_schema_url: str
) -> None:
    plain.load("postgresql", pg_schema_url, files)
    found = plain.query("postgresql", pg_schema_url, scale_data.AS_OF, scale_data.MONTHS)
    assert found == plain_figures
