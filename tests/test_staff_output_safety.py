"""Names and phones in staff lists are whatever the spreadsheet held: they cannot drive a
terminal or run as a spreadsheet formula (docs/data-formats.md, Output safety).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from click.testing import CliRunner

from insertion_core import Participant, PersonalData, Workspace, get_plugin_manager
from insertion_core.cli import make_cli

from .conftest import PROGRAMME_TOML

HOSTILE_NAME = "\x1b]0;PWNED\x07Eve\x1b[2J"
FORMULA_PHONE = '=HYPERLINK("http://x")'


def test_staff_lists_neutralise_names_and_phones(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'site.db'}"
    with Workspace.open(db, initialise=True) as ws:
        ws.save_programme(PROGRAMME_TOML, "gonesse.toml")
        person = PersonalData("E5", HOSTILE_NAME, "Durand", None, FORMULA_PHONE)
        ws.enrol("gonesse", Participant("E5", "C1", dt.date(2026, 1, 5)), person)
    cli = make_cli(get_plugin_manager(load_entry_points=False))
    base = ["--db", db, "participants", "list", "--programme", "gonesse", "--as-of", "2026-06-01"]
    text = CliRunner().invoke(cli, base)
    assert text.exit_code == 0
    assert not any(c in text.stdout for c in ("\x1b", "\x07"))
    assert "Eve" in text.stdout
    csv = CliRunner().invoke(cli, [*base, "--format", "csv"]).stdout
    assert "'=HYPERLINK" in csv and ",=HYPERLINK" not in csv
    [listed] = json.loads(CliRunner().invoke(cli, [*base, "--format", "json"]).stdout)
    assert (listed["first_name"], listed["phone"]) == (HOSTILE_NAME, FORMULA_PHONE)  # exact
    show = CliRunner().invoke(
        cli, ["--db", db, "participants", "show", "--programme", "gonesse", "E5"]
    )
    assert show.exit_code == 0
    assert not any(c in show.stdout for c in ("\x1b", "\x07"))
