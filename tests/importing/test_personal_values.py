"""Sensitive values kept out of the core at import (issue 15, point 5).

A French social security number (NIR) is refused in every column of every kind
of file, CSV and xlsx alike; an e-mail address or a phone number in an id, code,
QPV or counsellor column likewise. Each refusal names file:line:column and why,
and no message ever shows the value, nor a value of a personal-data column.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from insertion_core.importing import COLUMNS

from ..fakes import SharedMemoryPlugin
from .conftest import Run, stored_ids, write
from .workbooks import workbook

#: A valid NIR (key 91) written as on a card, and the same number without spaces.
NIR = "1 85 05 78 006 084 91"
NIR_PLAIN = NIR.replace(" ", "")
#: A Corsican NIR: department 2A counts as 19 in the key.
NIR_CORSICA = "2 90 12 2A 004 017 " + f"{97 - int('290121900401' + '7') % 97:02d}"

#: A valid row of each kind of file, every column filled.
ROWS: dict[str, dict[str, str]] = {
    "participants": {
        "participant_id": "P1",
        "cohort_id": "C1",
        "entry_date": "2024-09-09",
        "birth_date": "2005-01-01",
        "gender": "F",
        "education_level": "4",
        "qpv": "true",
        "qpv_code": "QP095001",
        "status_at_entry": "unemployed",
        "scheme": "none",
        "referrer": "self",
        "counsellor": "alice",
        "first_name": "Zoé",
        "last_name": "Martin",
        "email": "zoe.martin@example.org",
        "phone": "06 12 34 56 78",
    },
    "cohorts": {
        "cohort_id": "C1",
        "start_date": "2024-09-09",
        "end_date": "2025-03-01",
        "capacity": "12",
    },
    "phases": {"participant_id": "P1", "phase": "formation", "start_date": "2024-10-01"},
    "exits": {
        "participant_id": "P1",
        "exit_date": "2025-03-01",
        "exit_reason": "completed",
        "destination": "training.other",
        "contract": "cdd",
        "contract_months": "6",
        "qualifying": "true",
    },
    "followups": {
        "participant_id": "P1",
        "contact_date": "2025-04-01",
        "situation": "employment.other",
        "contract": "cdd",
        "contract_months": "6",
        "qualifying": "false",
        "channel": "phone",
        "note": "a rappelé",
    },
    "attendance": {
        "participant_id": "P1",
        "date": "2024-09-10",
        "half_day": "am",
        "status": "absent",
        "reason": "malade",
    },
}

EVERY_COLUMN = [(kind, column) for kind in ROWS for column in COLUMNS[kind]]
#: Columns where an identifier or a code is expected (not personal data).
NOT_PERSONAL = {
    "participants": ("participant_id", "cohort_id", "qpv_code", "counsellor", "gender"),
    "cohorts": ("cohort_id",),
    "exits": ("participant_id", "exit_reason", "destination"),
    "followups": ("participant_id", "situation", "channel"),
    "attendance": ("participant_id", "status"),
    "phases": ("phase",),
}
PERSONAL = [
    ("participants", "first_name"),
    ("participants", "last_name"),
    ("participants", "email"),
    ("participants", "phone"),
    ("followups", "note"),
    ("attendance", "reason"),
]


def _csv(kind: str, row: dict[str, str], extra: dict[str, str] | None = None) -> str:
    columns = [*COLUMNS[kind], *(extra or {})]
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    writer.writerow([{**row, **(extra or {})}[c] for c in columns])
    return buffer.getvalue()


def _refused(run: Run, path: Path, kind: str) -> str:
    result = run("--programme", "demo", "--kind", kind, str(path))
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    return result.stderr


def _digits(text: str) -> str:
    return "".join(c for c in text if c.isdigit())


@pytest.mark.parametrize(("kind", "column"), EVERY_COLUMN)
def test_a_nir_is_refused_in_every_column_of_every_kind_without_being_shown(
    run: Run, tmp_path: Path, plugin: SharedMemoryPlugin, kind: str, column: str
) -> None:
    f = write(tmp_path / f"{kind}.csv", _csv(kind, {**ROWS[kind], column: NIR}))
    err = _refused(run, f, kind)
    assert f"{f}:2: {column}: the value holds a French social security number (NIR" in err
    assert "(the value is not shown here)" in err
    assert NIR not in err and NIR_PLAIN not in _digits(err)
    assert stored_ids(plugin) == []


@pytest.mark.parametrize(("kind", "column"), PERSONAL)
def test_a_nir_inside_free_text_or_a_name_is_refused(
    run: Run, tmp_path: Path, kind: str, column: str
) -> None:
    value = f"rappeler, son numéro est le {NIR_CORSICA} selon la CAF"
    f = write(tmp_path / f"{kind}.csv", _csv(kind, {**ROWS[kind], column: value}))
    err = _refused(run, f, kind)
    assert f"{f}:2: {column}: the value holds a French social security number" in err
    assert "CAF" not in err and _digits(NIR_CORSICA) not in _digits(err)


def test_a_nir_in_a_column_the_programme_ignores_is_refused_by_position(
    run: Run, tmp_path: Path
) -> None:
    f = write(
        tmp_path / "participants.csv",
        _csv("participants", ROWS["participants"], {"Commentaires": f"NIR {NIR_PLAIN}"}),
    )
    err = _refused(run, f, "participants")
    assert err.splitlines()[0] == (
        f"{f}:2: column 17: the value holds a French social security number (NIR: 13 "
        "characters and a valid 2-digit key), which must not be kept for this purpose (CNIL); "
        "remove it from the file (the value is not shown here)"
    )


@pytest.mark.parametrize(
    ("kind", "column"),
    [("participants", "participant_id"), ("followups", "note"), ("exits", "contract_months")],
)
def test_a_nir_in_a_workbook_is_refused_like_in_csv(
    run: Run, tmp_path: Path, kind: str, column: str
) -> None:
    row = {**ROWS[kind], column: NIR_PLAIN if column != "note" else f"nir {NIR}"}
    f = workbook(tmp_path / f"{kind}.xlsx", [list(COLUMNS[kind]), [row[c] for c in COLUMNS[kind]]])
    err = _refused(run, f, kind)
    assert f"{f}:2: {column}: the value holds a French social security number" in err
    assert NIR_PLAIN not in _digits(err)


def test_a_nir_stored_as_a_number_in_a_workbook_is_refused(run: Run, tmp_path: Path) -> None:
    row = [ROWS["participants"][c] for c in COLUMNS["participants"]]
    row[0] = int(NIR_PLAIN)  # Excel keeps a 15-digit number exactly
    f = workbook(tmp_path / "participants.xlsx", [list(COLUMNS["participants"]), row])
    err = _refused(run, f, "participants")
    assert f"{f}:2: participant_id: the value holds a French social security number" in err


def test_a_nir_with_a_wrong_key_is_not_refused_as_a_nir(
    run: Run, tmp_path: Path, plugin: SharedMemoryPlugin
) -> None:
    wrong = NIR_PLAIN[:-2] + "92"
    f = write(
        tmp_path / "participants.csv",
        _csv("participants", {**ROWS["participants"], "participant_id": wrong}),
    )
    result = run("--programme", "demo", "--kind", "participants", str(f))
    assert result.exit_code == 0, result.output
    assert stored_ids(plugin) == [wrong]


@pytest.mark.parametrize(
    ("kind", "column"),
    [(kind, column) for kind, columns in NOT_PERSONAL.items() for column in columns],
)
@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("zoe.martin@example.org", "an e-mail address"),
        ("06 12 34 56 78", "a phone number"),
        ("+33 6 12 34 56 78", "a phone number"),
    ],
)
def test_an_email_or_a_phone_in_an_id_or_code_column_is_refused_without_being_shown(
    run: Run, tmp_path: Path, kind: str, column: str, value: str, what: str
) -> None:
    f = write(tmp_path / f"{kind}.csv", _csv(kind, {**ROWS[kind], column: value}))
    err = _refused(run, f, kind)
    assert f"{f}:2: {column}: the value holds {what}, which is personal data" in err
    assert value not in err and "zoe" not in err and "12 34" not in err


@pytest.mark.parametrize(("kind", "column"), PERSONAL)
def test_a_refused_row_never_shows_its_personal_data(
    run: Run, tmp_path: Path, kind: str, column: str
) -> None:
    secret = "Zzyzx-Secret 0799"
    row = {**ROWS[kind], column: secret}
    date_column = {"participants": "entry_date", "followups": "contact_date", "attendance": "date"}
    row[date_column[kind]] = "31/02/2024"  # not a day: the row is refused
    f = write(tmp_path / f"{kind}.csv", _csv(kind, row))
    err = _refused(run, f, kind)
    assert f"{f}:2: {date_column[kind]}:" in err
    assert "Zzyzx" not in err and "0799" not in err


def test_personal_columns_keep_their_e_mail_and_phone(
    run: Run, tmp_path: Path, plugin: SharedMemoryPlugin
) -> None:
    f = write(tmp_path / "participants.csv", _csv("participants", ROWS["participants"]))
    result = run("--programme", "demo", "--kind", "participants", str(f))
    assert (result.exit_code, result.stdout) == (
        0,
        "participants: 1 added, 0 updated, 0 unchanged\n",
    )
    with plugin.store("test-memory://cli").unit_of_work() as uow:
        personal = uow.personal.get("demo", "P1")
    assert personal is not None
    assert (personal.email, personal.phone) == ("zoe.martin@example.org", "06 12 34 56 78")
