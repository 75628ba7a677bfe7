"""An import killed at any moment leaves all or nothing, and the re-run is exact.

A subprocess runs ``insertion import`` on a few thousand participants and is
SIGKILLed at points spread over its run (seeded, so a failure replays); the
database must then hold every participant or none, and importing again must
give exactly what an uninterrupted import gives.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine

from insertion_core import Workspace

from ..importing.conftest import PROGRAMME_TOML

Prepare = Callable[[str, Path], None]
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX signals")

PARTICIPANTS = 2000
KILLS = 3


def _cli(url: str, *args: str) -> list[str]:
    return [sys.executable, "-c", "from insertion_core.cli import main; main()", "--db", url, *args]


def _run(url: str, *args: str) -> None:
    done = subprocess.run(_cli(url, *args), capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr


def _files(folder: Path) -> Path:
    folder.mkdir()
    (folder / "programme.toml").write_text(PROGRAMME_TOML)
    rows = [
        f"K{n:05d},C{n % 7},2024-09-{n % 28 + 1:02d},2006-03-01,3,Name{n},x{n}@example.org\n"
        for n in range(PARTICIPANTS)
    ]
    participants = folder / "participants.csv"
    head = "participant_id,cohort_id,entry_date,birth_date,education_level,first_name,email\n"
    participants.write_text(head + "".join(rows))
    return participants


def _stored(url: str) -> dict[str, object]:
    with Workspace.open(url) as workspace:
        journeys = sorted(workspace.journeys("demo"), key=lambda j: j.participant_id)
        with workspace.storage.unit_of_work() as uow:
            personal = [uow.personal.get("demo", j.participant_id) for j in journeys]
    return {"journeys": journeys, "personal": personal}


def _prepared(url: str, folder: Path) -> None:
    """An initialised database with the programme loaded."""
    _run(url, "init")
    _run(url, "programme", "load", str(folder / "programme.toml"))


def _kill_and_rerun(urls: list[str], folder: Path, prepare: Prepare = _prepared) -> None:
    participants = _files(folder)
    reference_url, *kill_urls = urls
    prepare(reference_url, folder)
    started = time.monotonic()
    _run(
        reference_url, "import", "--programme", "demo", "--kind", "participants", str(participants)
    )
    duration = time.monotonic() - started
    reference = _stored(reference_url)
    assert len(reference["journeys"]) == PARTICIPANTS  # type: ignore[arg-type]
    chance = random.Random(14)
    for index, url in enumerate(kill_urls):
        prepare(url, folder)
        # Spread over the run, most of them late, where the writes are.
        at = duration * (index + chance.random()) / len(kill_urls)
        process = subprocess.Popen(
            _cli(url, "import", "--programme", "demo", "--kind", "participants", str(participants)),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(at)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        held = _stored(url)
        assert len(held["journeys"]) in (0, PARTICIPANTS), f"killed after {at:.2f}s"  # type: ignore[arg-type]
        assert len(held["personal"]) == len(held["journeys"])  # type: ignore[arg-type]
        _run(url, "import", "--programme", "demo", "--kind", "participants", str(participants))
        assert _stored(url) == reference


def test_sqlite_import_killed_is_all_or_nothing(tmp_path: Path) -> None:
    template = tmp_path / "template.db"
    (tmp_path / "programme.toml").write_text(PROGRAMME_TOML)
    _prepared(f"sqlite:///{template}", tmp_path)

    def copy(url: str, folder: Path) -> None:
        shutil.copyfile(template, url.removeprefix("sqlite:///"))

    urls = [f"sqlite:///{tmp_path / f'run{n}.db'}" for n in range(KILLS + 1)]
    _kill_and_rerun(urls, tmp_path / "files", copy)


@pytest.mark.postgresql
def test_postgresql_import_killed_is_all_or_nothing(pg_admin: Engine, tmp_path: Path) -> None:
    schemas = [f"t_{uuid.uuid4().hex[:12]}" for _ in range(KILLS + 1)]
    with pg_admin.connect() as connection:
        for schema in schemas:
            connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    try:
        urls = [
            pg_admin.url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
                hide_password=False
            )
            for schema in schemas
        ]
        _kill_and_rerun(urls, tmp_path / "files")
    finally:
        with pg_admin.connect() as connection:
            for schema in schemas:
                connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
