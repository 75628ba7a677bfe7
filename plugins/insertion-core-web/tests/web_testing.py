"""The test data of the web plugin and helpers to sign in (``conftest.py`` has the fixtures).

A module of its own name, not ``conftest``: the repository's test run collects
several test folders, and another's ``conftest`` would be found first.

On :data:`AS_OF`, P-001 (cip-1) and P-002 (cip-2) are due their one-month
check-in; P-003 (cip-1) is in the programme, at risk after two absent days;
P-004 (cip-2) is in the programme too, without absences.
"""

from __future__ import annotations

import datetime as dt
import re

import insertion_core_web
from insertion_core_web.accounts import Accounts
from starlette.testclient import TestClient

from insertion_core import Exit, Participant, PersonalData, Situation, Workspace
from insertion_core.domain.codes import AttendanceStatus, ExitReason
from insertion_core.domain.model import AttendanceRecord
from insertion_core.plugins import PluginManager, get_plugin_manager
from insertion_core.testing import make_programme

AS_OF = dt.date(2026, 6, 15)
PASSWORDS = {"cip-1": "mot-de-passe-1", "cip-2": "mot-de-passe-2", "direction": "mot-de-passe-d"}
ROLES = {"cip-1": "counsellor", "cip-2": "counsellor", "direction": "director"}
#: Personal data that must never reach the server's logs.
PEOPLE = {
    "P-001": PersonalData("P-001", "Alice", "Martin", "alice.martin@example.org", "06 11 22 33 44"),
    "P-002": PersonalData("P-002", "Bruno", "Petit", "bruno.petit@example.org", "06 55 66 77 88"),
    "P-003": PersonalData("P-003", "Chloé", "Durand", "chloe.durand@example.org", "07 01 02 03 04"),
    "P-004": PersonalData("P-004", "Damien", "Roux", None, "07 99 88 77 66"),
}
SECRET = "a-signing-key-for-the-tests-only-0123456789"


def plugin_manager() -> PluginManager:
    """The built-ins and this plugin, nothing else installed."""
    pm = get_plugin_manager(load_entry_points=False)
    pm.register(insertion_core_web, "web")
    return pm


def fill(url: str) -> None:
    """The programme, four participants and the three accounts in the database at ``url``."""
    programme = make_programme(
        programme={"id": "essai", "name": "Programme d'essai", "locale": "fr"},
        followup={"months": 6, "checkpoints": [1, 3, 6]},
        reporting={"min_cell": 3},
    )
    with Workspace.open(url, plugin_manager=plugin_manager(), initialise=True) as workspace:
        workspace.save_programme(programme)
        for pid, counsellor, entry in [
            ("P-001", "cip-1", dt.date(2026, 1, 5)),
            ("P-002", "cip-2", dt.date(2026, 1, 5)),
            ("P-003", "cip-1", dt.date(2026, 5, 4)),
            ("P-004", "cip-2", dt.date(2026, 5, 4)),
        ]:
            participant = Participant(
                pid, "2026-A", entry, birth_date=dt.date(2005, 3, 1), counsellor=counsellor
            )
            workspace.enrol("essai", participant, PEOPLE[pid])
        for pid, day in [("P-001", dt.date(2026, 5, 11)), ("P-002", dt.date(2026, 5, 12))]:
            exit_ = Exit(day, ExitReason.COMPLETED, Situation("job_search"))
            workspace.record_exit("essai", pid, exit_)
        for day in (dt.date(2026, 6, 10), dt.date(2026, 6, 11)):
            workspace.record_attendance(
                "essai", "P-003", AttendanceRecord(day, AttendanceStatus.ABSENT)
            )
        accounts = Accounts.of(workspace)
        for name, password in PASSWORDS.items():
            accounts.add(name, ROLES[name], password)


def csrf(html: str) -> str:
    """The CSRF token of the first form of a page."""
    found = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def login(client: TestClient, name: str, password: str | None = None) -> str:
    """Sign in; the CSRF token of the session."""
    token = csrf(client.get("/login").text)
    answer = client.post(
        "/login",
        data={"csrf_token": token, "name": name, "password": password or PASSWORDS[name]},
    )
    assert answer.status_code == 303, answer.text
    assert answer.headers["location"] == "/"
    return csrf(client.get("/").text)
