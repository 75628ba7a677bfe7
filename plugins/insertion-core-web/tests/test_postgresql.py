"""The accounts table and a recorded contact on PostgreSQL, as on SQLite.

Runs when INSERTION_TEST_POSTGRESQL_URL is set (``tests/with-postgresql.sh``,
which ``make test`` uses); skipped without it, except under CI where it fails.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from insertion_core_web.app import create_app
from insertion_core_web.site import Site
from sqlalchemy import create_engine, make_url
from starlette.testclient import TestClient
from web_testing import AS_OF, SECRET, fill, login, plugin_manager

from insertion_core import Workspace
from insertion_core.testing import postgresql_test_url


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh schema on the test server, filled, dropped afterwards."""
    base = postgresql_test_url()
    admin = create_engine(make_url(base), isolation_level="AUTOCOMMIT")
    schema = f"web_{uuid.uuid4().hex[:12]}"
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
    text = url.render_as_string(hide_password=False)
    try:
        fill(text)
        yield text
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
        admin.dispose()


@pytest.mark.postgresql
def test_a_counsellor_records_a_contact_on_postgresql(pg_url: str) -> None:
    site = Site.open(pg_url, plugin_manager(), as_of=AS_OF)
    try:
        app = create_app(site, secret_key=SECRET)
        with TestClient(app, follow_redirects=False) as client:
            token = login(client, "cip-1")
            assert 'data-participant="P-001"' in client.get("/").text
            answer = client.post(
                "/participants/P-001/contacts",
                data={"csrf_token": token, "contact_date": "2026-06-15", "situation": "training"},
            )
            assert answer.status_code == 303
            assert 'data-participant="P-001"' not in client.get("/").text
    finally:
        site.close()
    with Workspace.open(pg_url, plugin_manager=plugin_manager()) as workspace:
        [contact] = workspace.journey("essai", "P-001").contacts
    assert contact.situation.code == "training.other"
