"""On every storage: contacts imported month by month are kept, and planned entrants count nowhere."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from insertion_core import Workspace
from insertion_core.importing import import_directory, import_file

from ..importing.conftest import PROGRAMME_TOML, write

TODAY = dt.date(2025, 6, 30)


def _contacts(workspace: Workspace, pid: str) -> list[tuple[str, str | None]]:
    contacts = workspace.journey("demo", pid).contacts
    return sorted((c.contact_date.isoformat(), c.note) for c in contacts)


def test_monthly_contacts_updates_and_replace(storage: Any, tmp_path: Path) -> None:
    workspace = Workspace(storage)
    workspace.save_programme(PROGRAMME_TOML, "programme.toml")
    site = tmp_path / "site"
    write(
        site / "participants.csv",
        "participant_id,cohort_id,entry_date,birth_date,education_level\n"
        "P1,C1,2024-09-09,2006-03-01,3\n"
        "P2,C1,2025-09-01,2006-03-01,3\n",
    )
    write(
        site / "exits.csv",
        "participant_id,exit_date,exit_reason,destination\nP1,2025-01-31,completed,employment\n",
    )
    write(
        site / "followups.csv",
        "participant_id,contact_date,situation,note\n"
        "P1,2025-02-20,employment,en poste\n"
        "P1,2025-03-31,employment,\n",
    )
    import_directory(workspace, "demo", site, today=TODAY)
    month = write(
        tmp_path / "month" / "followups.csv",
        "participant_id,contact_date,situation,note\n"
        "P1,2025-02-20,employment,CDI signé\n"
        "P1,2025-06-02,training,\n",
    )
    summary = import_file(workspace, "demo", "followups", month, today=TODAY)
    assert summary.lines() == ["followups: 1 added, 1 updated, 0 unchanged"]
    assert _contacts(workspace, "P1") == [
        ("2025-02-20", "CDI signé"),
        ("2025-03-31", None),
        ("2025-06-02", None),
    ]
    summary = import_file(
        workspace, "demo", "followups", month, today=TODAY, replace=True, confirm_removal=True
    )
    assert summary.lines() == ["followups: 0 added, 0 updated, 2 unchanged, 1 removed"]
    assert _contacts(workspace, "P1") == [("2025-02-20", "CDI signé"), ("2025-06-02", None)]
    # P2 enters on 2025-09-01: planned, counted nowhere before that day.
    report = workspace.report("demo", as_of=TODAY)
    assert (report.population["selected"], report.population["in_programme"]) == (1, 0)
    later = workspace.report("demo", as_of=dt.date(2025, 9, 1))
    assert (later.population["selected"], later.population["in_programme"]) == (2, 1)
