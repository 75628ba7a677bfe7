"""Every page over HTTP (Starlette's TestClient): who sees what, and what each shows."""

from __future__ import annotations

import re

import pytest
from insertion_core_web.site import Site
from starlette.testclient import TestClient
from web_testing import AS_OF, PEOPLE, login

ROUTES = [
    "/",
    "/at-risk",
    "/participants/P-001",
    "/reports/latest",
    "/reports/latest/public",
]


def rows(html: str, kind: str) -> list[str]:
    """The participant ids of a list's rows, in order."""
    return re.findall(rf'<tr class="{kind}" data-participant="([^"]+)"', html)


@pytest.mark.parametrize("path", ROUTES)
def test_every_page_sends_the_signed_out_to_the_login_page(client: TestClient, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 303
    assert answer.headers["location"] == "/login"


def test_the_login_page_speaks_the_programme_language(client: TestClient) -> None:
    page = client.get("/login")
    assert page.status_code == 200
    assert '<html lang="fr">' in page.text
    assert "Mot de passe" in page.text
    assert "Programme d&#39;essai" in page.text


def test_a_counsellor_sees_the_check_ins_of_their_caseload_with_name_and_phone(
    client: TestClient,
) -> None:
    login(client, "cip-1")
    page = client.get("/")
    assert page.status_code == 200
    assert rows(page.text, "call") == ["P-001"]
    assert "Alice Martin" in page.text
    assert "06 11 22 33 44" in page.text
    assert "Bruno" not in page.text
    assert "au 15/06/2026" in page.text
    assert "à faire" in page.text


def test_a_director_sees_every_counsellor_s_check_ins_by_counsellor(client: TestClient) -> None:
    login(client, "direction")
    page = client.get("/").text
    assert rows(page, "call") == ["P-001", "P-002"]
    assert page.index("<h2>cip-1 (1)</h2>") < page.index("P-001") < page.index("<h2>cip-2 (1)</h2>")
    assert "Bruno Petit" in page


def test_the_at_risk_list_shows_the_caseload_s_participants_at_risk(client: TestClient) -> None:
    login(client, "cip-1")
    page = client.get("/at-risk").text
    assert rows(page, "risk") == ["P-003"]
    assert "Chloé Durand" in page
    assert "3 demi-journées" in page  # the programme's rule, in words


def test_a_counsellor_with_nobody_at_risk_is_told_so(client: TestClient) -> None:
    login(client, "cip-2")
    page = client.get("/at-risk").text
    assert rows(page, "risk") == []
    assert "Personne n&#39;est en risque de décrochage." in page


def test_a_journey_shows_phases_exit_check_ins_attendance_and_the_form(
    client: TestClient,
) -> None:
    login(client, "cip-1")
    page = client.get("/participants/P-001")
    assert page.status_code == 200
    for shown in [
        "Participant P-001 — Alice Martin",
        "Welcome and assessment",  # a phase, by its name in the programme
        "11/05/2026",  # the exit
        "parcours terminé",
        "recherche d&#39;emploi",
        "1 mois",  # a check-in
        'action="/participants/P-001/contacts"',
    ]:
        assert shown in page.text, shown
    attendance = client.get("/participants/P-003").text
    assert "<tr><th>absent</th><td>4</td></tr>" in attendance
    assert "Pas encore sorti." in attendance


def test_a_counsellor_is_refused_another_counsellor_s_participant(client: TestClient) -> None:
    login(client, "cip-1")
    page = client.get("/participants/P-002")
    assert page.status_code == 403
    assert "Cette page ne vous est pas ouverte." in page.text
    assert "Bruno" not in page.text


def test_a_director_sees_any_participant(client: TestClient) -> None:
    login(client, "direction")
    assert client.get("/participants/P-002").status_code == 200
    assert client.get("/participants/P-003").status_code == 200


def test_an_unknown_participant_is_not_found(client: TestClient) -> None:
    login(client, "direction")
    page = client.get("/participants/P-999")
    assert page.status_code == 404
    assert "Page ou participant introuvable." in page.text
    assert client.get("/no-such-page").status_code == 404


def test_the_internal_report_is_for_directors(client: TestClient) -> None:
    login(client, "direction")
    page = client.get("/reports/latest")
    assert page.status_code == 200
    assert "Rapport de résultats" in page.text
    assert '<p class="audience internal">' in page.text
    assert "Chiffres au 15 juin 2026" in page.text


def test_a_counsellor_is_refused_the_internal_report(client: TestClient) -> None:
    login(client, "cip-1")
    page = client.get("/reports/latest")
    assert page.status_code == 403
    assert "Rapport de résultats" not in page.text


@pytest.mark.parametrize("name", ["cip-1", "direction"])
def test_the_public_report_is_open_to_every_account(client: TestClient, name: str) -> None:
    login(client, name)
    page = client.get("/reports/latest/public")
    assert page.status_code == 200
    assert "Rapport de résultats" in page.text
    assert '<p class="audience public">' in page.text
    assert client.get("/reports/latest/secret").status_code == 404


def test_no_page_shows_a_report_with_personal_data(client: TestClient) -> None:
    login(client, "direction")
    for path in ("/reports/latest", "/reports/latest/public"):
        page = client.get(path).text
        for person in PEOPLE.values():
            assert person.last_name not in page
            assert person.phone not in page


def test_pages_are_not_cached_and_run_no_script(client: TestClient) -> None:
    page = client.get("/login")
    assert page.headers["cache-control"] == "no-store"
    assert "default-src 'none'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert "<script" not in page.text


def test_the_lists_are_computed_for_the_site_s_day(site: Site) -> None:
    assert site.today() == AS_OF


def test_a_page_asked_with_the_wrong_method_says_so(client: TestClient) -> None:
    login(client, "cip-1")
    answer = client.get("/participants/P-001/contacts")
    assert answer.status_code == 405
    assert client.post("/at-risk").status_code == 405
