"""A bulk save leaves the SQLite planner statistics, so the staff lists use their indexes.

Without ``sqlite_stat1`` SQLite guesses, and ``followups at-risk`` walked
every participant of the programme instead of the attendance date index
(docs/performance.md). The journey repository runs ``ANALYZE`` after the
1st, 2nd, 4th, 8th... batch of a unit of work, on SQLite as on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import text
from sqlalchemy.dialects import sqlite

from insertion_core.cli import make_cli
from insertion_core.default_plugins.sql import SqlStorage
from insertion_core.default_plugins.sql.stored_checkins import at_risk_query

from ..outcomes.sample_site import SAMPLE_SITE, load_sample_site

SITE_TEXT = (SAMPLE_SITE / "programme.toml").read_text(encoding="utf-8")
PROGRAMME_ID = "sample-site"


def _saved_site(tmp_path: Path) -> tuple[SqlStorage, str]:
    programme, journeys = load_sample_site()
    storage = SqlStorage.open(f"sqlite:///{tmp_path / 'site.db'}")
    storage.initialise()
    with storage.unit_of_work() as uow:
        uow.programmes.save(programme, SITE_TEXT)
        uow.journeys.save_many(programme.id, journeys)
        uow.commit()
    return storage, programme.id


def test_a_bulk_save_leaves_statistics_on_every_table_it_filled(tmp_path: Path) -> None:
    storage, _ = _saved_site(tmp_path)
    with storage.engine.connect() as connection:
        analysed = set(connection.execute(text("SELECT DISTINCT tbl FROM sqlite_stat1")).scalars())
        filled = {
            name
            for name in (
                "participants",
                "exits",
                "contacts",
                "participant_checkins",
                "participant_facts",
            )
            if connection.execute(text(f"SELECT count(*) FROM {name}")).scalar_one()
        }
    assert filled and filled <= analysed


def _national_shape(folder: Path) -> None:
    """Many participants, few absences: the shape where the date index pays."""
    folder.mkdir()
    entry = dt.date(2025, 9, 1)
    people = ["participant_id,cohort_id,entry_date"]
    people += [f"P{n:05},C1,{entry.isoformat()}" for n in range(3000)]
    absences = ["participant_id,date,half_day,status"]
    absences += [f"P{n:05},2026-06-2{n % 5},am,absent" for n in range(0, 3000, 50)]
    (folder / "participants.csv").write_text("\n".join(people) + "\n", encoding="utf-8")
    (folder / "attendance.csv").write_text("\n".join(absences) + "\n", encoding="utf-8")


def test_the_at_risk_list_reads_the_attendance_date_index(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'national.db'}"
    (tmp_path / "programme.toml").write_text(SITE_TEXT, encoding="utf-8")
    _national_shape(tmp_path / "files")
    runner = CliRunner()
    for arguments in (
        ["init"],
        ["programme", "load", str(tmp_path / "programme.toml")],
        ["import", "--programme", PROGRAMME_ID, str(tmp_path / "files")],
    ):
        result = runner.invoke(make_cli(), ["--db", url, *arguments])
        assert result.exit_code == 0, result.output
    storage = SqlStorage.open(url)
    with storage.unit_of_work(read_only=True) as uow:
        programme = uow.programmes.get(PROGRAMME_ID)
    query = at_risk_query(programme, dt.date(2026, 6, 30))
    sql = str(query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
    with storage.engine.connect() as connection:
        plan = [row[-1] for row in connection.exec_driver_sql("EXPLAIN QUERY PLAN " + sql)]
    storage.close()
    assert plan[0].startswith("SEARCH attendance USING INDEX ix_attendance_date"), plan


def test_a_single_write_leaves_the_statistics_alone(tmp_path: Path) -> None:
    programme, journeys = load_sample_site()
    storage = SqlStorage.open(f"sqlite:///{tmp_path / 'site.db'}")
    storage.initialise()
    with storage.unit_of_work() as uow:
        uow.programmes.save(programme, SITE_TEXT)
        uow.journeys.save(programme.id, journeys[0])
        uow.commit()
    with storage.engine.connect() as connection:
        tables = connection.execute(text("SELECT name FROM sqlite_master")).scalars().all()
    storage.close()
    assert "sqlite_stat1" not in tables
