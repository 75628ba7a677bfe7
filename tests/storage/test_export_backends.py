"""The pseudonymised export reads the same rows from every built-in storage (issue 15, point 1).

Memory, SQLite and PostgreSQL (``tests/with-postgresql.sh``) must give the same
file, byte for byte, and the key must leave no trace in the database.
"""

from __future__ import annotations

import hashlib
import hmac
import io
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, select, text

from insertion_core import Workspace, get_plugin_manager
from insertion_core.export import PseudonymKey, write_export

from ..export_site import KEY, PERSONAL_VALUES, build_site

#: The export of the site, as the memory storage (the reference) writes it.
EXPECTED_ROWS = [
    "cohort_id,birth_year,gender,education_level,qpv,status_at_entry,scheme,referrer,"
    "entry_date,phase,exit_date,exit_reason,destination,contract,contract_months,qualifying,"
    "followup_contacts,last_contact_date,last_situation",
    "'=C1,2005,F,,true,,,,2025-01,projets,2025-05,completed,employment.other,cdd,6.5,true,2,"
    "2025-08,training.other",
    "C2,2007,,,,,,,2025-09,accueil,,,,,,,0,,",
    "C2,,,,,,,,2025-09,accueil,,,,,,,0,,",
]


@pytest.fixture(
    params=["memory", "sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)]
)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "memory":
        return "memory://export"
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'insertion.db'}"
    return request.getfixturevalue("pg_url").render_as_string(hide_password=False)


def test_every_backend_exports_the_same_pseudonymised_rows(url: str) -> None:
    out = io.StringIO()
    key = PseudonymKey(KEY, "test")
    with Workspace.open(
        url, plugin_manager=get_plugin_manager(load_entry_points=False), initialise=True
    ) as workspace:
        build_site(workspace)
        summary = write_export(workspace, "gonesse", key, out, month_dates=True)
        assert summary.participants == 3
    lines = out.getvalue().splitlines()
    assert lines[0] == (
        f"# insertion-core pseudonymised export; programme=gonesse; key_id={key.key_id}; "
        "dates=month"
    )
    pseudonyms = [
        hmac.new(KEY, f"gonesse\0{pid}".encode(), hashlib.sha256).hexdigest()
        for pid in ("A1", "B2", "C3")
    ]
    assert lines[1] == "pseudonym,key_id," + EXPECTED_ROWS[0]
    assert lines[2:] == [
        f"{pseudonym},{key.key_id},{row}"
        for pseudonym, row in zip(pseudonyms, EXPECTED_ROWS[1:], strict=True)
    ]
    for value in PERSONAL_VALUES:
        assert value not in out.getvalue()
    if not url.startswith("memory:"):
        assert _database_text(url).isdisjoint({KEY.decode(), *pseudonyms})


def _database_text(url: str) -> set[str]:
    """Every text value stored in every table of the database."""
    engine = create_engine(url)
    found: set[str] = set()
    with engine.connect() as connection:
        for table in inspect(connection).get_table_names():
            for row in connection.execute(select(text("*")).select_from(text(f'"{table}"'))):
                found.update(str(value) for value in row if value is not None)
    engine.dispose()
    assert found  # the site is there: the search is not vacuous
    return found
