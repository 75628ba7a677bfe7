"""The audit journal holds no personal data and, once a subject is forgotten, no trace of the id.

On SQLite and PostgreSQL, after every kind of write (Workspace methods, an
import, notices), every cell of ``audit_journal`` is searched for the names,
phones, e-mails, notes and absence reasons written, and for the participant
ids; then :func:`forget_subject` is applied and both audit tables are
searched for the forgotten id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from insertion_core import Workspace
from insertion_core.audit import forget_subject
from insertion_core.importing import import_directory
from insertion_core.notify.service import send_due_notices

from ..audit_support import (
    PARTICIPANT_IDS,
    PERSONAL_VALUES,
    PROGRAMME,
    import_folder,
    write_everything,
)

AS_OF = dt.date(2026, 11, 30)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgresql)])
def written(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Workspace]:
    """A SQL workspace after every kind of write, as actor ``alice``."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'audit.db'}"
    else:
        url = request.getfixturevalue("pg_url").render_as_string(hide_password=False)
    with Workspace.open(url, initialise=True, actor="alice") as workspace:
        write_everything(workspace)
        import_directory(workspace, PROGRAMME, import_folder(tmp_path), today=AS_OF)
        result = send_due_notices(workspace, PROGRAMME, as_of=dt.date(2026, 5, 5))
        assert result.sent, "the data must give notices to send"
        yield workspace


def cells(workspace: Workspace, table: str) -> list[str]:
    """Every cell of ``table``, as text."""
    engine = workspace.storage.engine  # type: ignore[attr-defined]
    with engine.connect() as connection:
        rows = connection.execute(text(f"SELECT * FROM {table}")).all()
    return [str(value) for row in rows for value in row]


def test_the_journal_holds_no_personal_data_and_no_participant_id(written: Workspace) -> None:
    operations = {line.entry.operation for line in written.audit_trail(PROGRAMME)}
    assert {"participant.enrol", "import", "notice.sent"} <= operations
    journal = cells(written, "audit_journal")
    assert "alice" in journal  # the search reads the rows
    for value in (*PERSONAL_VALUES, *PARTICIPANT_IDS):
        assert not [cell for cell in journal if value in cell], value


def test_forgetting_a_subject_leaves_no_trace_of_the_id(written: Workspace) -> None:
    entries = len(written.audit_trail(PROGRAMME))
    with written.storage.unit_of_work() as uow:
        assert forget_subject(uow, PROGRAMME, "A001")
        uow.commit()
    for table in ("audit_journal", "audit_subjects"):
        assert not [cell for cell in cells(written, table) if "A001" in cell], table
    assert written.audit_trail(PROGRAMME, participant_id="A001") == []
    lines = written.audit_trail(PROGRAMME)
    assert len(lines) == entries  # the entries stay, naming nobody
    assert sum(line.forgotten for line in lines) >= 5
    assert "A001" not in {line.participant_id for line in lines}
