"""Signing in and out: the session cookie, CSRF on the login form, throttling after failures."""

from __future__ import annotations

from insertion_core_web.accounts import web_accounts
from insertion_core_web.app import create_app
from insertion_core_web.site import Site
from insertion_core_web.throttle import LoginThrottle
from sqlalchemy import delete
from starlette.testclient import TestClient
from web_testing import SECRET, csrf, login


def attempt(client: TestClient, name: str, password: str) -> object:
    token = csrf(client.get("/login").text)
    return client.post("/login", data={"csrf_token": token, "name": name, "password": password})


def test_signing_in_sets_a_signed_http_only_same_site_cookie(client: TestClient) -> None:
    token = csrf(client.get("/login").text)
    answer = client.post(
        "/login", data={"csrf_token": token, "name": "cip-1", "password": "mot-de-passe-1"}
    )
    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"].lower()
    assert cookie.startswith("insertion_session=")
    assert "httponly" in cookie
    assert "samesite=lax" in cookie
    assert "secure" not in cookie
    assert "mot-de-passe" not in cookie


def test_the_cookie_is_secure_when_served_over_tls(site: Site) -> None:
    app = create_app(site, secret_key=SECRET, secure_cookies=True)
    with TestClient(app, base_url="https://testserver", follow_redirects=False) as client:
        assert "; secure" in client.get("/login").headers["set-cookie"].lower()


def test_a_new_session_gets_a_new_csrf_token(client: TestClient) -> None:
    before = csrf(client.get("/login").text)
    after = login(client, "cip-1")
    assert before != after


def test_a_forged_cookie_is_no_session(client: TestClient) -> None:
    client.cookies.set("insertion_session", "eyJhY2NvdW50IjogImRpcmVjdGlvbiJ9.forged.sig")
    assert client.get("/").headers["location"] == "/login"


def test_a_wrong_password_is_refused_in_the_programme_s_language(client: TestClient) -> None:
    answer = attempt(client, "cip-1", "pas le bon")
    assert answer.status_code == 401  # type: ignore[attr-defined]
    assert "Compte ou mot de passe incorrect." in answer.text  # type: ignore[attr-defined]
    assert client.get("/").status_code == 303


def test_an_unknown_account_gets_the_same_answer(client: TestClient) -> None:
    answer = attempt(client, "nobody", "mot-de-passe-1")
    assert answer.status_code == 401  # type: ignore[attr-defined]
    assert "Compte ou mot de passe incorrect." in answer.text  # type: ignore[attr-defined]


def test_the_login_form_needs_its_csrf_token(client: TestClient) -> None:
    client.get("/login")
    answer = client.post("/login", data={"name": "cip-1", "password": "mot-de-passe-1"})
    assert answer.status_code == 403
    assert client.get("/").status_code == 303


def test_signing_in_again_goes_to_the_list(client: TestClient) -> None:
    login(client, "cip-1")
    answer = client.get("/login")
    assert answer.status_code == 303
    assert answer.headers["location"] == "/"


def test_signing_out_ends_the_session(client: TestClient) -> None:
    token = login(client, "cip-1")
    assert client.post("/logout", data={}).status_code == 403  # no token, still signed in
    assert client.get("/").status_code == 200
    answer = client.post("/logout", data={"csrf_token": token})
    assert answer.headers["location"] == "/login"
    assert client.get("/").status_code == 303


def test_a_removed_account_is_signed_out(client: TestClient, site: Site) -> None:
    login(client, "cip-1")
    with site.accounts.engine.begin() as connection:
        connection.execute(delete(web_accounts).where(web_accounts.c.name == "cip-1"))
    assert client.get("/").headers["location"] == "/login"


def test_five_failures_lock_the_account_even_with_the_right_password(
    client: TestClient, throttle: LoginThrottle
) -> None:
    for _ in range(5):
        assert attempt(client, "cip-1", "devine").status_code == 401  # type: ignore[attr-defined]
    answer = attempt(client, "cip-1", "mot-de-passe-1")
    assert answer.status_code == 429  # type: ignore[attr-defined]
    assert "Trop d&#39;essais manqués : réessayez dans 15 min." in answer.text  # type: ignore[attr-defined]
    assert client.get("/").status_code == 303
    login(client, "cip-2")  # another account is not locked


def test_the_lock_ends_after_the_window(site: Site) -> None:
    now = [1000.0]
    throttle = LoginThrottle(clock=lambda: now[0])
    app = create_app(site, secret_key=SECRET, throttle=throttle)
    with TestClient(app, follow_redirects=False) as client:
        for _ in range(5):
            attempt(client, "cip-1", "devine")
        assert attempt(client, "cip-1", "mot-de-passe-1").status_code == 429  # type: ignore[attr-defined]
        now[0] += 15 * 60
        login(client, "cip-1")
