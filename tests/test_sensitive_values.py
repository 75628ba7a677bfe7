"""A NIR, an e-mail address or a phone number never becomes an identifier (issue 15, point 5).

Property tests on the NIR's key (97 - number mod 97, Corsica's 2A and 2B counting as
19 and 18), then the model, the Workspace and the command line refusing such ids
with a message that does not show them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from insertion_core import (
    AttendanceRecord,
    Exit,
    FollowUpContact,
    Participant,
    PersonalData,
    Situation,
    Workspace,
    get_plugin_manager,
)
from insertion_core.cli import make_cli
from insertion_core.domain import AttendanceStatus, ExitReason
from insertion_core.domain.identifiers import identifier, refuse_personal_value
from insertion_core.domain.journey import Journey
from insertion_core.domain.sensitive import (
    contains_nir,
    is_nir,
    looks_like_email,
    looks_like_phone,
    sensitive_in_identifier,
)
from insertion_core.errors import IdentifierError

from .conftest import PROGRAMME_TOML

ENTRY = dt.date(2025, 9, 1)


def nir_key(body: str) -> int:
    """The key of a 13-character NIR body, as the standard computes it."""
    number = int(body[:5] + {"2A": "19", "2B": "18"}.get(body[5:7], body[5:7]) + body[7:])
    return 97 - number % 97


@st.composite
def nir_bodies(draw: st.DrawFn) -> str:
    """The 13 characters before the key: sex, year, month, department, commune, order."""
    sex = draw(st.sampled_from("12345678"))
    year = draw(st.integers(0, 99))
    month = draw(st.integers(1, 12) | st.integers(20, 42) | st.integers(50, 99))
    department = draw(
        st.sampled_from(["2A", "2B", "2a", "99"]) | st.integers(1, 95).map(lambda d: f"{d:02d}")
    )
    commune = draw(st.integers(1, 999))
    order = draw(st.integers(1, 999))
    return f"{sex}{year:02d}{month:02d}{department}{commune:03d}{order:03d}"


def written(body: str, key: int, spaced: bool) -> str:
    """The NIR as typed: in one run, or grouped as on the card (1 85 05 78 006 084 91)."""
    if not spaced:
        return f"{body}{key:02d}"
    groups = (body[0], body[1:3], body[3:5], body[5:7], body[7:10], body[10:13], f"{key:02d}")
    return " ".join(groups)


@given(nir_bodies(), st.booleans())
def test_every_valid_nir_is_refused_as_an_identifier(body: str, spaced: bool) -> None:
    nir = written(body, nir_key(body.upper()), spaced)
    assert is_nir(nir) and contains_nir(f"note: {nir}.")
    with pytest.raises(IdentifierError) as refused:
        refuse_personal_value(nir)
    assert "a French social security number (NIR)" in str(refused.value)
    assert body[7:13] not in str(refused.value).replace(" ", "")


@given(nir_bodies(), st.integers(0, 99), st.booleans())
def test_a_nir_like_number_with_a_wrong_key_is_not_a_nir(body: str, key: int, spaced: bool) -> None:
    if key == nir_key(body.upper()):
        key = (key + 1) % 100
    text = written(body, key, spaced)
    assert not is_nir(text) and not contains_nir(text)
    if body[5:7].isdigit():  # no letters: a number whose key is wrong is a usable id
        assert sensitive_in_identifier(text) is None
        assert refuse_personal_value(text) == identifier(text) == text


def test_corsica_counts_2a_as_19_and_2b_as_18() -> None:
    naive = 97 - int("1800120001001") % 97  # the key if 2A or 2B were read as 20
    for department, digits in (("2A", "19"), ("2B", "18")):
        body = f"18001{department}001001"
        key = 97 - int(f"18001{digits}001001") % 97
        assert key != naive
        assert is_nir(f"{body}{key:02d}") and is_nir(f"{body.lower()}{key:02d}")
        assert not is_nir(f"{body}{naive:02d}")


def test_a_nir_inside_a_longer_number_is_not_one() -> None:
    nir = "185057800608491"
    assert is_nir(nir)
    assert not contains_nir("9" + nir) and not contains_nir(nir + "1")
    assert contains_nir(f"n° {nir}, vu") and contains_nir(f"({nir})")


@pytest.mark.parametrize(
    "text",
    ["zoe.martin@example.org", "ZOE@EXAMPLE.FR", "contact: zoé@mairie-gonesse.fr"],
)
def test_e_mail_addresses(text: str) -> None:
    assert looks_like_email(text)
    assert sensitive_in_identifier(text) == "an e-mail address"


@pytest.mark.parametrize(
    "text",
    [
        "0612345678",
        "06 12 34 56 78",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "+33 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
        "0033 6 12 34 56 78",
        "+44 20 7946 0958",
    ],
)
def test_phone_numbers(text: str) -> None:
    assert looks_like_phone(text)
    assert sensitive_in_identifier(text) == "a phone number"


@pytest.mark.parametrize(
    "text",
    ["GON-0001", "P-20240601-0001", "2024-06-01", "12345678", "QP095001", "a@b", "C2024-09", "007"],
)
def test_ordinary_identifiers_are_not_personal_values(text: str) -> None:
    assert sensitive_in_identifier(text) is None
    assert refuse_personal_value(text) == identifier(text) == text


@pytest.mark.parametrize("field", ["participant_id", "cohort_id", "qpv_code", "counsellor"])
@pytest.mark.parametrize(
    ("value", "what"),
    [
        ("185057800608491", "a French social security number (NIR)"),
        ("zoe.martin@example.org", "an e-mail address"),
        ("06 12 34 56 78", "a phone number"),
    ],
)
def test_enrol_refuses_personal_values_in_every_identifier_of_a_participant(
    workspace: Workspace, field: str, value: str, what: str
) -> None:
    values = {"participant_id": "P1", "cohort_id": "C1", "entry_date": ENTRY, field: value}
    with pytest.raises(IdentifierError) as refused:
        workspace.enrol("gonesse", Participant(**values))  # type: ignore[arg-type]
    assert str(refused.value) == (
        f"an identifier holds {what}, which must not identify anyone in this programme's "
        "data; use the programme's own identifier (the value is not shown here)"
    )
    assert workspace.participants("gonesse", as_of=ENTRY) == []
    workspace.close()


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    ws = Workspace.open(
        f"sqlite:///{tmp_path / 'site.db'}",
        plugin_manager=get_plugin_manager(load_entry_points=False),
        initialise=True,
    )
    ws.save_programme(PROGRAMME_TOML, "gonesse.toml")
    return ws


def test_workspace_methods_refuse_a_personal_value_as_participant_id(
    workspace: Workspace,
) -> None:
    with pytest.raises(IdentifierError, match="NIR") as refused:
        workspace.enrol("gonesse", Participant("185057800608491", "C1", ENTRY))
    assert "185057800608491" not in str(refused.value)
    for method in (workspace.journey, workspace.participant_view):
        with pytest.raises(IdentifierError, match="an e-mail address") as refused:
            method("gonesse", "zoe.martin@example.org")
        assert "zoe" not in str(refused.value)
    with pytest.raises(IdentifierError, match="a phone number"):
        workspace.start_next_phase("gonesse", "06 12 34 56 78", ENTRY)
    workspace.close()


def test_the_command_line_refuses_a_nir_as_participant_without_showing_it(
    workspace: Workspace,
) -> None:
    url = workspace.storage.url
    workspace.close()
    cli = make_cli(get_plugin_manager(load_entry_points=False))
    result = CliRunner().invoke(
        cli,
        ["--db", url, "participants", "show", "--programme", "gonesse", "1 85 05 78 006 084 91"],
    )
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        "Error: an identifier holds a French social security number (NIR), which must not "
        "identify anyone in this programme's data; use the programme's own identifier "
        "(the value is not shown here)\n"
    )


def test_data_stored_before_the_check_stays_readable(workspace: Workspace) -> None:
    """Ids are checked where they come in; what an earlier version stored is still read."""
    with workspace.storage.unit_of_work() as uow:
        uow.journeys.save("gonesse", Journey(Participant("0612345678", "C1", ENTRY)))
        uow.commit()
    assert [j.participant_id for j in workspace.journeys("gonesse")] == ["0612345678"]
    assert [s.journey.participant_id for s in workspace.participants("gonesse", as_of=ENTRY)] == [
        "0612345678"
    ]
    workspace.close()


def test_a_nir_in_personal_data_a_note_or_a_reason_is_refused_by_the_workspace(
    workspace: Workspace,
) -> None:
    nir = "1 85 05 78 006 084 91"
    with pytest.raises(IdentifierError) as refused:
        workspace.enrol("gonesse", Participant("P1", "C1", ENTRY), PersonalData("P1", nir))
    assert str(refused.value) == (
        "the first name holds a French social security number (NIR), which must not be kept "
        "for this purpose (CNIL); remove it (the value is not shown here)"
    )
    workspace.enrol("gonesse", Participant("P1", "C1", ENTRY), PersonalData("P1", "Zoé"))
    workspace.record_exit(
        "gonesse", "P1", Exit(ENTRY, ExitReason.COMPLETED, Situation("job_search"))
    )
    contact = FollowUpContact(ENTRY, Situation("training"), note=f"NIR {nir}")
    with pytest.raises(IdentifierError, match=r"^the note holds a French social security"):
        workspace.record_followup("gonesse", "P1", contact)
    record = AttendanceRecord(ENTRY, AttendanceStatus.ABSENT, reason=nir.replace(" ", ""))
    with pytest.raises(IdentifierError, match=r"^the absence reason holds a French social"):
        workspace.record_attendance("gonesse", "P1", record)
    assert workspace.journey("gonesse", "P1").contacts == ()
    workspace.close()
