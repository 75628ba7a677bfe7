"""What ``insertion notify`` prints about notices another run holds, or took over."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from insertion_core import Workspace
from insertion_core.cli import make_cli
from insertion_core.notify import LedgerEntry, LedgerStatus, service
from insertion_core.notify.service import send_due_notices
from insertion_core.plugins import PluginManager

from .conftest import SITE_AS_OF, Channels, small_site

NOW = dt.datetime(2026, 7, 5, 7, 0, tzinfo=dt.UTC)


@pytest.fixture
def db(tmp_path: Path, manager: PluginManager) -> str:
    """Site with three check-ins due, on channel ``first``, in a SQLite file."""
    url = f"sqlite:///{tmp_path / 'site.db'}"
    with Workspace.open(url, plugin_manager=manager, initialise=True) as workspace:
        small_site(workspace, 3, "[notify.first]\n")
    return url


def notify(manager: PluginManager, db: str) -> Result:
    args = ["--db", db, "notify", "--programme", "site", "--as-of", SITE_AS_OF.isoformat()]
    return CliRunner().invoke(make_cli(manager), args)


def first_key(workspace: Workspace) -> tuple[str, str]:
    """The id on channel ``first`` and the key of the first notice, as notify orders them."""
    programme = workspace.programme("site")
    notices = service.notices_for(
        programme, workspace.due_checkins("site", as_of=SITE_AS_OF), [], SITE_AS_OF
    )
    return notices[0].id_for("first"), notices[0].key


def test_a_notice_another_run_holds_is_listed_as_in_flight(
    db: str, manager: PluginManager, channels: Channels, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(service, "utcnow", lambda: NOW)
    with Workspace.open(db, plugin_manager=manager) as workspace:
        notice_id, key = first_key(workspace)
        with workspace.storage.unit_of_work() as uow:
            uow.notices.save(
                LedgerEntry(
                    notice_id,
                    "site",
                    "first",
                    key,
                    LedgerStatus.SENDING,
                    attempts=1,
                    owner="host-b:77:cafe",
                    lease_until=NOW + dt.timedelta(minutes=2, seconds=30),
                )
            )
            uow.commit()
    result = notify(manager, db)
    assert result.exit_code == 0
    assert result.stdout == (
        "Notices: 2 sent, 0 failed, 0 already sent, 1 in flight in another run\n"
    )
    assert result.stderr == (
        f"  in flight: first: {key}: another run is sending it "
        "(lease until 2026-07-05 07:02:30 UTC)\n"
    )
    assert notice_id not in [i for i, _ in channels.by_name["first"].sent]


def test_an_attempt_that_outlived_its_lease_is_reported(
    db: str, manager: PluginManager, channels: Channels, monkeypatch: pytest.MonkeyPatch
) -> None:
    now = [NOW]
    monkeypatch.setattr(service, "utcnow", lambda: now[0])
    later = Workspace.open(db, plugin_manager=manager)

    def stall_while_another_run_takes_over(notice_id: str) -> None:
        if now[0] == NOW:
            now[0] = NOW + dt.timedelta(hours=1)  # far past this attempt's lease
            send_due_notices(later, "site", as_of=SITE_AS_OF)

    channels.by_name["first"].during = stall_while_another_run_takes_over
    try:
        result = notify(manager, db)
        _, key = first_key(later)
    finally:
        later.close()
    assert result.exit_code == 0
    assert result.stdout == "Notices: 1 sent, 0 failed, 2 already sent\n"
    assert result.stderr == (
        f"  lease ended: first: {key}: the attempt outlasted its lease and another run took "
        "the notice over (the receiver may get it twice, with the same id)\n"
    )
