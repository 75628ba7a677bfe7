"""``insertion users`` and ``insertion serve`` on the command line (click's CliRunner)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import uvicorn
from click.testing import CliRunner, Result
from insertion_core_web.accounts import Accounts
from insertion_core_web.commands import SECRET_ENV
from web_testing import AS_OF, plugin_manager

from insertion_core import Workspace
from insertion_core.cli import make_cli
from insertion_core.testing import make_programme


def run(db_url: str, *args: str, input: str | None = None, **env: str) -> Result:
    return CliRunner().invoke(
        make_cli(plugin_manager()), ["--db", db_url, *args], input=input, env=env
    )


@pytest.fixture
def served(monkeypatch: pytest.MonkeyPatch) -> list[dict[str, Any]]:
    """What ``serve`` handed uvicorn, instead of serving."""
    calls: list[dict[str, Any]] = []
    monkeypatch.setattr(
        uvicorn, "run", lambda app, **options: calls.append({"app": app, **options})
    )
    return calls


def test_users_add_reads_the_password_from_standard_input(db_url: str) -> None:
    result = run(
        db_url,
        "users",
        "add",
        "cip-3",
        "--role",
        "counsellor",
        "--password-stdin",
        input="un mot de passe\n",
    )
    assert result.exit_code == 0, result.output
    assert result.output == "Account cip-3 (counsellor) added.\n"
    with Workspace.open(db_url, plugin_manager=plugin_manager()) as workspace:
        assert Accounts.of(workspace).check("cip-3", "un mot de passe") is not None


def test_users_add_asks_for_the_password_twice(db_url: str) -> None:
    result = run(
        db_url,
        "users",
        "add",
        "cip-3",
        "--role",
        "director",
        input="un mot de passe\nun mot de passe\n",
    )
    assert result.exit_code == 0, result.output
    assert "Repeat for confirmation" in result.output
    assert "un mot de passe" not in result.output
    assert result.output.endswith("Account cip-3 (director) added.\n")


def test_users_add_refuses_a_taken_name(db_url: str) -> None:
    result = run(
        db_url,
        "users",
        "add",
        "cip-1",
        "--role",
        "counsellor",
        "--password-stdin",
        input="un mot de passe\n",
    )
    assert result.exit_code == 1
    assert "Error: account 'cip-1' already exists; add --replace" in result.output


def test_users_add_replace_changes_an_account(db_url: str) -> None:
    result = run(
        db_url,
        "users",
        "add",
        "cip-1",
        "--role",
        "counsellor",
        "--password-stdin",
        "--replace",
        input="un mot de passe\n",
    )
    assert result.exit_code == 0
    assert result.output == "Account cip-1 (counsellor) saved.\n"


def test_users_add_refuses_a_short_password(db_url: str) -> None:
    result = run(
        db_url, "users", "add", "cip-3", "--role", "counsellor", "--password-stdin", input="abc\n"
    )
    assert result.exit_code == 1
    assert "Error: the password is too short: at least 10 characters" in result.output


def test_users_add_needs_a_known_role(db_url: str) -> None:
    result = run(db_url, "users", "add", "cip-3", "--role", "admin", "--password-stdin")
    assert result.exit_code == 2
    assert "'admin' is not one of 'counsellor', 'director'" in result.output


def test_users_list_shows_names_and_roles(db_url: str) -> None:
    result = run(db_url, "users", "list")
    assert result.exit_code == 0
    assert result.output == "cip-1\tcounsellor\ncip-2\tcounsellor\ndirection\tdirector\n"


def test_users_list_on_a_database_without_accounts(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/empty.db"
    assert run(url, "init").exit_code == 0
    result = run(url, "users", "list")
    assert (result.exit_code, result.output) == (0, "No account yet.\n")


def test_serve_binds_the_loopback_address_by_default(
    db_url: str, served: list[dict[str, Any]]
) -> None:
    result = run(db_url, "serve", "--as-of", AS_OF.isoformat())
    assert result.exit_code == 0, result.output
    assert result.output == "Serving essai on http://127.0.0.1:8000 (Ctrl-C stops)\n"
    [call] = served
    assert (call["host"], call["port"], call["proxy_headers"]) == ("127.0.0.1", 8000, False)
    assert call["app"].state.site.today() == AS_OF


def test_serve_behind_a_proxy_trusts_its_headers(db_url: str, served: list[dict[str, Any]]) -> None:
    result = run(db_url, "serve", "--host", "0.0.0.0", "--port", "8080", "--behind-proxy")
    assert result.exit_code == 0, result.output
    [call] = served
    assert (call["host"], call["port"], call["proxy_headers"]) == ("0.0.0.0", 8080, True)


def test_serve_takes_its_own_db_option(db_url: str, served: list[dict[str, Any]]) -> None:
    result = CliRunner().invoke(make_cli(plugin_manager()), ["serve", "--db", db_url])
    assert result.exit_code == 0, result.output
    assert served[0]["app"].state.site.url == db_url


def test_serve_needs_an_account(tmp_path: Path, served: list[dict[str, Any]]) -> None:
    url = f"sqlite:///{tmp_path}/empty.db"
    with Workspace.open(url, plugin_manager=plugin_manager(), initialise=True) as workspace:
        workspace.save_programme(make_programme())
    result = run(url, "serve")
    assert result.exit_code == 1
    assert "Error: no web account yet; add one with: insertion users add NAME --role director" in (
        result.output
    )
    assert served == []


def test_serve_asks_which_programme_when_there_are_several(
    db_url: str, served: list[dict[str, Any]]
) -> None:
    with Workspace.open(db_url, plugin_manager=plugin_manager()) as workspace:
        workspace.save_programme(make_programme(programme={"id": "autre", "name": "Autre"}))
    result = run(db_url, "serve")
    assert result.exit_code == 1
    assert (
        "Error: choose the programme to serve with --programme (in the database: autre, essai)"
        in (result.output)
    )
    assert run(db_url, "serve", "--programme", "essai").exit_code == 0
    assert run(db_url, "serve", "--programme", "nope").exit_code == 1


def test_serve_refuses_a_short_signing_key(db_url: str, served: list[dict[str, Any]]) -> None:
    result = run(db_url, "serve", **{SECRET_ENV: "short"})
    assert result.exit_code == 1
    assert f"Error: {SECRET_ENV} is too short: at least 32 characters" in result.output
    assert served == []


def test_serve_needs_both_tls_files(db_url: str, tmp_path: Path) -> None:
    certificate = tmp_path / "site.pem"
    certificate.write_text("not read")
    result = run(db_url, "serve", "--ssl-certfile", str(certificate))
    assert result.exit_code == 2
    assert "give both --ssl-certfile and --ssl-keyfile, or neither" in result.output


def test_serve_over_tls_marks_the_cookie_secure(
    db_url: str, tmp_path: Path, served: list[dict[str, Any]]
) -> None:
    for name in ("site.pem", "site.key"):
        (tmp_path / name).write_text("read by uvicorn, not by this test")
    result = run(
        db_url,
        "serve",
        "--ssl-certfile",
        str(tmp_path / "site.pem"),
        "--ssl-keyfile",
        str(tmp_path / "site.key"),
    )
    assert result.exit_code == 0, result.output
    assert "https://127.0.0.1:8000" in result.output
    app = served[0]["app"]
    sessions = [m for m in app.user_middleware if m.cls.__name__ == "SessionMiddleware"]
    assert sessions[0].kwargs["https_only"] is True
