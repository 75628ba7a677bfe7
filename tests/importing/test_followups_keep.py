"""Importing contacts keeps history: files add and update, ``--replace`` removes, with ``--yes``."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pluggy
import pytest
from click.testing import CliRunner

from insertion_core import Workspace
from insertion_core.cli import make_cli
from insertion_core.domain import Situation
from insertion_core.domain.lifecycle import merge_followups
from insertion_core.domain.model import FollowUpContact
from insertion_core.domain.situations import Sector
from insertion_core.importing import RemovalNotConfirmedError, import_directory, import_file

from .conftest import CLI_DB, Run, snapshot, write

TODAY = dt.date(2025, 6, 30)

PARTICIPANTS = (
    "participant_id,cohort_id,entry_date,birth_date,education_level\n"
    "P1,C1,2024-09-09,2006-03-01,3\n"
    "P2,C1,2024-09-09,2005-03-01,3\n"
)
EXITS = (
    "participant_id,exit_date,exit_reason,destination\n"
    "P1,2025-01-31,completed,employment\n"
    "P2,2025-01-31,completed,training\n"
)
#: The contacts of the first months: three for P1, one for P2.
EARLIER = (
    "participant_id,contact_date,situation,channel,note\n"
    "P1,2025-02-10,unreachable,phone,\n"
    "P1,2025-02-20,employment,phone,en poste\n"
    "P1,2025-03-31,employment,email,\n"
    "P2,2025-03-03,training,phone,\n"
)
#: This month's new contacts only (one of them written twice).
THIS_MONTH = (
    "participant_id,contact_date,situation,channel,note\n"
    "P1,2025-06-02,employment,visit,\n"
    "P1,2025-06-02,employment,visit,\n"
)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    folder = tmp_path / "site"
    write(folder / "participants.csv", PARTICIPANTS)
    write(folder / "exits.csv", EXITS)
    write(folder / "followups.csv", EARLIER)
    return folder


def _dates(workspace: Workspace, pid: str) -> list[str]:
    return sorted(c.contact_date.isoformat() for c in workspace.journey("demo", pid).contacts)


def test_merge_adds_updates_keeps_and_removes_only_when_replacing(
    workspace: Workspace, site: Path
) -> None:
    import_directory(workspace, "demo", site, today=TODAY)
    journey = workspace.journey("demo", "P1")
    programme = workspace.programme("demo")
    stored = sorted(journey.contacts, key=lambda c: c.contact_date)
    updated = FollowUpContact(
        stored[1].contact_date, stored[1].situation, channel=stored[1].channel, note="CDI signé"
    )
    new = FollowUpContact(dt.date(2025, 6, 2), Situation("training", Sector.OTHER))
    merge = merge_followups(programme, journey, [stored[0], updated, new, new])
    assert (merge.added, merge.updated, merge.unchanged, merge.removed) == (1, 1, 1, 0)
    assert len(merge.transition.journey.contacts) == 4
    assert updated in merge.transition.journey.contacts
    assert [(e.on, e.situation) for e in merge.transition.events] == [
        (dt.date(2025, 6, 2), "training.other")
    ]
    replaced = merge_followups(programme, journey, [stored[0], new], replace=True)
    assert (replaced.added, replaced.updated, replaced.unchanged, replaced.removed) == (1, 0, 1, 2)
    assert replaced.transition.journey.contacts == (stored[0], new)


def test_this_months_file_keeps_earlier_contacts(workspace: Workspace, site: Path) -> None:
    import_directory(workspace, "demo", site, today=TODAY)
    f = write(site / "month" / "followups.csv", THIS_MONTH)
    summary = import_file(workspace, "demo", "followups", f, today=TODAY)
    assert summary.lines() == ["followups: 1 added, 0 updated, 0 unchanged"]
    assert _dates(workspace, "P1") == ["2025-02-10", "2025-02-20", "2025-03-31", "2025-06-02"]
    assert _dates(workspace, "P2") == ["2025-03-03"]
    before = snapshot(workspace)
    again = import_file(workspace, "demo", "followups", f, today=TODAY)
    assert again.lines() == ["followups: 0 added, 0 updated, 1 unchanged"]
    assert not again.changed
    assert snapshot(workspace) == before


def test_a_row_with_other_details_updates_the_stored_contact(
    workspace: Workspace, site: Path
) -> None:
    import_directory(workspace, "demo", site, today=TODAY)
    f = write(
        site / "fix" / "followups.csv",
        "participant_id,contact_date,situation,channel,note\n"
        "P1,2025-02-20,employment,phone,CDI signé\n",
    )
    summary = import_file(workspace, "demo", "followups", f, today=TODAY)
    assert summary.lines() == ["followups: 0 added, 1 updated, 0 unchanged"]
    notes = {c.contact_date.isoformat(): c.note for c in workspace.journey("demo", "P1").contacts}
    assert notes == {"2025-02-10": None, "2025-02-20": "CDI signé", "2025-03-31": None}


def test_replace_needs_confirmation_to_remove(workspace: Workspace, site: Path) -> None:
    import_directory(workspace, "demo", site, today=TODAY)
    before = snapshot(workspace)
    f = write(site / "month" / "followups.csv", THIS_MONTH)
    with pytest.raises(RemovalNotConfirmedError) as info:
        import_file(workspace, "demo", "followups", f, today=TODAY, replace=True)
    assert info.value.removed == 3
    assert str(info.value) == (
        "replacing would remove 3 follow-up contact(s) not in the file; "
        "nothing was written (confirm_removal=True removes them)"
    )
    assert snapshot(workspace) == before
    dry = import_file(workspace, "demo", "followups", f, today=TODAY, replace=True, dry_run=True)
    assert dry.lines() == ["followups: 1 added, 0 updated, 0 unchanged, 3 removed"]
    assert snapshot(workspace) == before
    done = import_file(
        workspace, "demo", "followups", f, today=TODAY, replace=True, confirm_removal=True
    )
    assert done.lines() == ["followups: 1 added, 0 updated, 0 unchanged, 3 removed"]
    assert _dates(workspace, "P1") == ["2025-06-02"]
    assert _dates(workspace, "P2") == ["2025-03-03"]  # not named in the file: untouched


def test_replace_removing_nothing_needs_no_confirmation(workspace: Workspace, site: Path) -> None:
    import_directory(workspace, "demo", site, today=TODAY)
    summary = import_directory(workspace, "demo", site, today=TODAY, replace=True)
    assert summary.lines()[-1] == "followups: 0 added, 0 updated, 4 unchanged"


def test_replace_applies_to_a_directory(workspace: Workspace, site: Path) -> None:
    import_directory(workspace, "demo", site, today=TODAY)
    write(site / "followups.csv", THIS_MONTH)
    with pytest.raises(RemovalNotConfirmedError):
        import_directory(workspace, "demo", site, today=TODAY, replace=True)
    summary = import_directory(
        workspace, "demo", site, today=TODAY, replace=True, confirm_removal=True
    )
    assert summary.lines()[-1] == "followups: 1 added, 0 updated, 0 unchanged, 3 removed"


def test_cli_this_months_file_keeps_history(run: Run, site: Path) -> None:
    assert run("--programme", "demo", str(site)).exit_code == 0
    month = write(site / "month" / "followups.csv", THIS_MONTH)
    result = run("--programme", "demo", "--kind", "followups", str(month))
    assert (result.exit_code, result.stdout) == (0, "followups: 1 added, 0 updated, 0 unchanged\n")
    again = run("--programme", "demo", "--kind", "followups", str(month))
    assert (again.exit_code, again.stdout) == (0, "followups: 0 added, 0 updated, 1 unchanged\n")


def test_cli_replace_asks_for_yes(run: Run, site: Path) -> None:
    assert run("--programme", "demo", str(site)).exit_code == 0
    month = write(site / "month" / "followups.csv", THIS_MONTH)
    args = ("--programme", "demo", "--kind", "followups", str(month), "--replace")
    refused = run(*args)
    assert (refused.exit_code, refused.stdout) == (1, "")
    assert refused.stderr == (
        "Error: --replace would remove 3 follow-up contact(s) not in the file; nothing was "
        "written. Add --yes to remove them, or --dry-run to see the counts.\n"
    )
    dry = run(*args, "--dry-run")
    assert (dry.exit_code, dry.stdout) == (
        0,
        "followups: 1 added, 0 updated, 0 unchanged, 3 removed\n",
    )
    assert dry.stderr == (
        "Dry run: nothing was written.\nRemoving the 3 contact(s) will need --yes.\n"
    )
    dry_yes = run(*args, "--dry-run", "--yes")
    assert (dry_yes.exit_code, dry_yes.stderr) == (0, "Dry run: nothing was written.\n")
    # The refusal and the dry run wrote nothing: the file still adds one contact, removes three.
    done = run(*args, "--yes")
    assert (done.exit_code, done.stdout) == (
        0,
        "followups: 1 added, 0 updated, 0 unchanged, 3 removed\n",
    )
    again = run(*args)
    assert (again.exit_code, again.stdout) == (0, "followups: 0 added, 0 updated, 1 unchanged\n")


def test_cli_yes_goes_with_replace(run: Run, site: Path) -> None:
    result = run("--programme", "demo", str(site), "--yes")
    assert result.exit_code == 2
    assert "--yes confirms the removals of --replace; give both" in result.stderr


def test_cli_replace_goes_with_followups(run: Run, site: Path) -> None:
    result = run(
        "--programme", "demo", "--kind", "exits", str(site / "exits.csv"), "--replace", "--yes"
    )
    assert result.exit_code == 2
    assert "--replace applies to followups files only, not to --kind exits" in result.stderr


def test_a_future_entrant_is_planned_and_counted_nowhere(
    workspace: Workspace, tmp_path: Path
) -> None:
    f = write(
        tmp_path / "participants.csv",
        PARTICIPANTS + "P3,C2,2025-09-01,2006-03-01,3\n",
    )
    summary = import_file(workspace, "demo", "participants", f, today=TODAY)
    assert summary.lines() == ["participants: 3 added, 0 updated, 0 unchanged"]
    planned = workspace.participants("demo", as_of=TODAY, status="planned")
    assert [s.journey.participant_id for s in planned] == ["P3"]
    report = workspace.report("demo", as_of=TODAY)
    assert (report.population["selected"], report.population["in_programme"]) == (2, 2)
    # Once the entry date is reached, the participant counts.
    on_entry = workspace.report("demo", as_of=dt.date(2025, 9, 1))
    assert on_entry.population["selected"] == 3
    assert workspace.participants("demo", as_of=dt.date(2025, 9, 1), status="planned") == []


def test_cli_lists_a_future_entrant_as_planned(
    run: Run, pm: pluggy.PluginManager, tmp_path: Path
) -> None:
    entry = (dt.date.today() + dt.timedelta(days=40)).isoformat()
    f = write(tmp_path / "participants.csv", PARTICIPANTS + f"P3,C2,{entry},2006-03-01,3\n")
    result = run("--programme", "demo", "--kind", "participants", str(f))
    assert (result.exit_code, result.stdout) == (
        0,
        "participants: 3 added, 0 updated, 0 unchanged\n",
    )
    listed = CliRunner().invoke(
        make_cli(pm),
        [
            *("--db", CLI_DB, "participants", "list", "--programme", "demo"),
            *("--status", "planned", "--format", "json", "--no-names"),
        ],
    )
    assert listed.exit_code == 0, listed.output
    rows = json.loads(listed.stdout)
    assert [(r["participant_id"], r["status"], r["entry_date"]) for r in rows] == [
        ("P3", "planned", entry)
    ]
