"""``POST /participants/ID/contacts``: a contact recorded through ``Workspace.record_followup``,
or the library's messages beside the fields and nothing written."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from insertion_core_web.security import MAX_FORM_BYTES
from starlette.testclient import TestClient
from web_testing import AS_OF, login, plugin_manager

from insertion_core import ConflictError, Workspace


def contacts(db_url: str, participant_id: str) -> list[Any]:
    with Workspace.open(db_url, plugin_manager=plugin_manager()) as workspace:
        return list(workspace.journey("essai", participant_id).contacts)


def due(db_url: str) -> list[str]:
    with Workspace.open(db_url, plugin_manager=plugin_manager()) as workspace:
        return [d.participant_id for d in workspace.due_checkins("essai", as_of=AS_OF)]


def form(token: str | None, **fields: str) -> dict[str, str]:
    data = {"contact_date": "2026-06-15", "situation": "employment", "channel": "phone"}
    data.update(fields)
    if token is not None:
        data["csrf_token"] = token
    return data


def test_a_contact_is_recorded_and_closes_its_check_in(client: TestClient, db_url: str) -> None:
    token = login(client, "cip-1")
    assert due(db_url) == ["P-001", "P-002"]
    answer = client.post(
        "/participants/P-001/contacts",
        data=form(token, contract="cdi", digital="1", note="CDI chez un boulanger"),
    )
    assert answer.status_code == 303
    assert answer.headers["location"] == "/participants/P-001"
    [contact] = contacts(db_url, "P-001")
    assert contact.contact_date == AS_OF
    assert contact.situation.code == "employment.digital"
    assert (contact.contract.value, contact.channel.value) == ("cdi", "phone")
    assert contact.note == "CDI chez un boulanger"
    assert due(db_url) == ["P-002"]
    page = client.get("/participants/P-001").text
    assert "Contact du 15/06/2026 enregistré." in page
    assert "CDI chez un boulanger" in page
    assert "P-001" not in client.get("/").text.split("<main>")[1]


def test_a_director_records_a_contact_for_anyone(client: TestClient, db_url: str) -> None:
    token = login(client, "direction")
    answer = client.post("/participants/P-002/contacts", data=form(token))
    assert answer.status_code == 303
    assert len(contacts(db_url, "P-002")) == 1


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"contact_date": ""}, "contact_date", "required value is missing"),
        ({"contact_date": "15/13/2026"}, "contact_date", "&#39;15/13/2026&#39; is not a real day"),
        (
            {"contact_date": "hier"},
            "contact_date",
            "is not a date; expected YYYY-MM-DD or D/M/YYYY",
        ),
        ({"contact_date": "2026-06-16"}, "contact_date", "2026-06-16 is after the day"),
        ({"contact_date": "2026-05-01"}, "contact_date", "is before their exit on 2026-05-11"),
        ({"situation": ""}, "situation", "required value is missing"),
        ({"situation": "astronaut"}, "situation", "unknown situation family &#39;astronaut&#39;"),
        ({"contract": "bogus"}, "contract", "unknown value &#39;bogus&#39;, expected one of: cdi"),
        (
            {"channel": "pigeon"},
            "channel",
            "unknown value &#39;pigeon&#39;, expected one of: phone",
        ),
        ({"note": "x" * 4001}, "note", "a note of 4,001 characters; at most 4,000"),
    ],
)
def test_a_bad_contact_shows_the_library_s_message_beside_its_field(
    client: TestClient, db_url: str, fields: dict[str, str], field: str, message: str
) -> None:
    token = login(client, "cip-1")
    answer = client.post("/participants/P-001/contacts", data=form(token, **fields))
    assert answer.status_code == 400
    assert "Le contact n&#39;a pas été enregistré" in answer.text
    shown = answer.text.split(f'id="problem-{field}">')[1].split("</span>")[0]
    assert message in shown
    assert contacts(db_url, "P-001") == []


def test_a_refused_form_keeps_what_was_typed(client: TestClient) -> None:
    token = login(client, "cip-1")
    answer = client.post(
        "/participants/P-001/contacts",
        data=form(token, contact_date="hier", situation="training", note="rappeler lundi"),
    )
    assert 'value="hier"' in answer.text
    assert '<option value="training" selected>' in answer.text
    assert ">rappeler lundi</textarea>" in answer.text


def test_a_contact_before_any_exit_is_refused_with_the_library_s_reason(
    client: TestClient, db_url: str
) -> None:
    token = login(client, "cip-1")
    answer = client.post("/participants/P-003/contacts", data=form(token))
    assert answer.status_code == 400
    assert "participant P-003 has no exit: a follow-up contact comes after the exit" in answer.text
    assert contacts(db_url, "P-003") == []


def test_a_form_without_its_csrf_token_is_refused(client: TestClient, db_url: str) -> None:
    login(client, "cip-1")
    answer = client.post("/participants/P-001/contacts", data=form(None))
    assert answer.status_code == 403
    assert "Ce formulaire a expiré ou ne vient pas de ce site" in answer.text
    assert contacts(db_url, "P-001") == []


def test_a_form_with_another_session_s_token_is_refused(client: TestClient, db_url: str) -> None:
    login(client, "cip-1")
    answer = client.post("/participants/P-001/contacts", data=form("forged-token"))
    assert answer.status_code == 403
    assert contacts(db_url, "P-001") == []


def test_a_counsellor_cannot_record_for_another_s_participant(
    client: TestClient, db_url: str
) -> None:
    token = login(client, "cip-1")
    answer = client.post("/participants/P-002/contacts", data=form(token))
    assert answer.status_code == 403
    assert contacts(db_url, "P-002") == []


def test_a_contact_for_an_unknown_participant_is_not_found(client: TestClient) -> None:
    token = login(client, "direction")
    assert client.post("/participants/P-999/contacts", data=form(token)).status_code == 404


def test_posting_signed_out_leads_to_the_login_page(client: TestClient, db_url: str) -> None:
    answer = client.post("/participants/P-001/contacts", data=form("x"))
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login"
    assert contacts(db_url, "P-001") == []


def test_a_body_too_long_to_read_is_refused_before_reading(client: TestClient, db_url: str) -> None:
    token = login(client, "cip-1")
    answer = client.post(
        "/participants/P-001/contacts", data=form(token, note="x" * (MAX_FORM_BYTES + 1))
    )
    assert answer.status_code == 413
    assert "Ce formulaire est trop long pour être lu." in answer.text
    assert contacts(db_url, "P-001") == []


def test_a_body_without_a_length_is_refused(client: TestClient) -> None:
    token = login(client, "cip-1")

    def chunks() -> Iterator[bytes]:
        yield f"csrf_token={token}&contact_date=2026-06-15&situation=employment".encode()

    answer = client.post("/participants/P-001/contacts", content=chunks())
    assert answer.status_code == 413


def test_a_change_refused_by_the_library_shows_its_message_above_the_form(
    client: TestClient, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    token = login(client, "cip-1")

    def conflict(*args: object) -> None:
        raise ConflictError("P-001", ["exit recorded"])

    monkeypatch.setattr(Workspace, "record_followup", conflict)
    answer = client.post("/participants/P-001/contacts", data=form(token))
    assert answer.status_code == 400
    shown = answer.text.split('id="problem-form">')[1].split("</span>")[0]
    assert shown == (
        "participant P-001 was changed by someone else since you read it "
        "(exit recorded); reload and try again"
    )


def test_a_contact_is_journaled_with_the_account_as_actor(client: TestClient, db_url: str) -> None:
    token = login(client, "cip-1")
    assert client.post("/participants/P-001/contacts", data=form(token)).status_code == 303
    with Workspace.open(db_url, plugin_manager=plugin_manager()) as workspace:
        lines = workspace.audit_trail("essai", participant_id="P-001")
    assert [(line.entry.actor, line.entry.operation) for line in lines][-1:] == [
        ("cip-1", "participant.followup")
    ]
