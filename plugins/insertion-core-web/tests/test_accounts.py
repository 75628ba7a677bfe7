"""Accounts and their passwords: scrypt hashes, salted, checked in constant time."""

from __future__ import annotations

import pytest
from insertion_core_web.accounts import AccountError, Accounts, web_accounts
from insertion_core_web.passwords import hash_password, password_problem, verify_password
from sqlalchemy import select
from web_testing import plugin_manager

from insertion_core import Workspace


def test_a_hash_is_salted_and_never_holds_the_password() -> None:
    first, second = hash_password("correct horse"), hash_password("correct horse")
    assert first != second
    assert "correct horse" not in first
    assert first.startswith("scrypt$32768$8$1$")
    assert verify_password("correct horse", first)
    assert verify_password("correct horse", second)
    assert not verify_password("correct horsE", first)


@pytest.mark.parametrize("stored", ["", "plain text", "md5$abc", "scrypt$x$8$1$AA==$AA=="])
def test_a_damaged_hash_matches_no_password(stored: str) -> None:
    assert not verify_password("anything at all", stored)


@pytest.mark.parametrize(
    ("password", "problem"),
    [
        ("short", "the password is too short: at least 10 characters"),
        (" long enough with a space", "the password starts or ends with a space"),
        ("long enough", None),
    ],
)
def test_new_passwords_are_checked(password: str, problem: str | None) -> None:
    found = password_problem(password)
    if problem is None:
        assert found is None
    else:
        assert found is not None and found.startswith(problem)


def test_accounts_are_stored_hashed_in_the_programme_s_database(db_url: str) -> None:
    with Workspace.open(db_url, plugin_manager=plugin_manager()) as workspace:
        accounts = Accounts.of(workspace)
        accounts.add("cip-9", "counsellor", "un mot de passe")
        with accounts.engine.connect() as connection:
            stored = connection.execute(
                select(web_accounts.c.password_hash).where(web_accounts.c.name == "cip-9")
            ).scalar_one()
        assert "un mot de passe" not in stored
        account = accounts.check("cip-9", "un mot de passe")
        assert account is not None and (account.name, account.role) == ("cip-9", "counsellor")
        assert accounts.check("cip-9", "un autre mot") is None
        assert accounts.check("cip-404", "un mot de passe") is None


@pytest.mark.parametrize(
    ("name", "role", "password", "message"),
    [
        ("cip-1", "counsellor", "un mot de passe", "account 'cip-1' already exists; add --replace"),
        ("cip 9 ", "counsellor", "un mot de passe", "account name: "),
        ("", "counsellor", "un mot de passe", "account name: an identifier cannot be empty"),
        ("cip-9", "admin", "un mot de passe", "unknown role 'admin', expected one of: counsellor"),
        ("cip-9", "counsellor", "court", "the password is too short"),
    ],
)
def test_a_bad_account_is_refused_with_its_reason(
    db_url: str, name: str, role: str, password: str, message: str
) -> None:
    with (
        Workspace.open(db_url, plugin_manager=plugin_manager()) as workspace,
        pytest.raises(AccountError) as refused,
    ):
        Accounts.of(workspace).add(name, role, password)
    assert str(refused.value).startswith(message)


def test_replace_changes_the_password_and_role(db_url: str) -> None:
    with Workspace.open(db_url, plugin_manager=plugin_manager()) as workspace:
        accounts = Accounts.of(workspace)
        accounts.add("cip-1", "director", "nouveau mot de passe", replace=True)
        assert accounts.check("cip-1", "mot-de-passe-1") is None
        account = accounts.check("cip-1", "nouveau mot de passe")
        assert account is not None and account.is_director


def test_accounts_need_a_sql_database() -> None:
    with (
        Workspace.open("memory://", plugin_manager=plugin_manager()) as workspace,
        pytest.raises(AccountError, match="kept in the programme's SQL database"),
    ):
        Accounts.of(workspace)


def test_a_database_without_accounts_has_none(tmp_path: object) -> None:
    with Workspace.open(
        f"sqlite:///{tmp_path}/empty.db", plugin_manager=plugin_manager(), initialise=True
    ) as workspace:
        accounts = Accounts.of(workspace)
        assert not accounts.exists()
        assert accounts.all() == []
        assert accounts.get("cip-1") is None
        assert accounts.check("cip-1", "mot-de-passe-1") is None
