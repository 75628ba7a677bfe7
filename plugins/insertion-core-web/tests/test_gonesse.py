"""The pages on the Gonesse demo's database, made by the demo's own first steps (``make demo``):
a counsellor signs in, sees whom to call, records a contact, and the call leaves the list."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from insertion_core_web.app import create_app
from insertion_core_web.site import Site
from starlette.testclient import TestClient
from web_testing import SECRET, csrf

from insertion_core import get_plugin_manager
from insertion_core.cli import make_cli

GONESSE = Path(__file__).resolve().parents[3] / "examples" / "gonesse"
sys.path.insert(0, str(GONESSE))

import demo  # noqa: E402
from generate import AS_OF, write  # noqa: E402

PASSWORD = "mot-de-passe-cip-3"


@pytest.fixture(scope="module")
def gonesse_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """``work/gonesse.db`` as ``make demo`` makes it (init, programme load, import), and an account."""
    work = tmp_path_factory.mktemp("gonesse")
    write(work / "data")
    cli = make_cli(get_plugin_manager())
    init, load, import_ = demo.steps(work)[:3]
    for args in (init, load, import_):
        result = CliRunner().invoke(cli, args)
        assert result.exit_code == 0, result.output
    url = f"sqlite:///{work / 'gonesse.db'}"
    added = CliRunner().invoke(
        cli,
        ["--db", url, "users", "add", "cip-3", "--role", "counsellor", "--password-stdin"],
        input=PASSWORD + "\n",
    )
    assert added.exit_code == 0, added.output
    return url


@pytest.fixture
def client(gonesse_db: str) -> Iterator[TestClient]:
    site = Site.open(gonesse_db, get_plugin_manager(), as_of=AS_OF)
    try:
        with TestClient(create_app(site, secret_key=SECRET), follow_redirects=False) as client:
            yield client
    finally:
        site.close()


def test_a_gonesse_counsellor_sees_whom_to_call_and_records_a_contact(client: TestClient) -> None:
    token = csrf(client.get("/login").text)
    signed_in = client.post(
        "/login", data={"csrf_token": token, "name": "cip-3", "password": PASSWORD}
    )
    assert signed_in.status_code == 303
    page = client.get("/").text
    assert "Fabrique numérique de Gonesse" in page
    due = re.findall(r'<tr class="call" data-participant="([^"]+)"', page)
    assert due and all(pid.startswith("GON-") for pid in due)
    assert page.count('href="tel:') == len(due)  # a phone to call on every line
    assert "<h2>cip-3 (" in page and "<h2>cip-1 (" not in page

    first = due[0]
    journey = client.get(f"/participants/{first}")
    assert journey.status_code == 200
    answer = client.post(
        f"/participants/{first}/contacts",
        data={
            "csrf_token": csrf(journey.text),
            "contact_date": AS_OF.isoformat(),
            "situation": "training",
            "channel": "phone",
        },
    )
    assert answer.status_code == 303, answer.text
    after = re.findall(r'<tr class="call" data-participant="([^"]+)"', client.get("/").text)
    assert after == due[1:]
