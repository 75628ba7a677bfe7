"""Staff accounts of the web pages, in a table this plugin owns in the programme's database.

The table ``web_accounts`` is the plugin's own, made by ``insertion users add``
the first time: a site that does not install the plugin has no such table, and
the core schema and its migrations know nothing of logins. A counsellor
account's name is the counsellor identifier of the data (``cip-1``), so the
name alone says whose caseload the account sees.
"""

from __future__ import annotations

import datetime as dt
from typing import cast

import attrs
from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    MetaData,
    String,
    Table,
    inspect,
    select,
)

from insertion_core import InsertionError, Workspace
from insertion_core.domain.identifiers import identifier

from .passwords import hash_password, password_problem, verify_password
from .roles import ROLES, Role

__all__ = [
    "ROLES",
    "Account",
    "AccountError",
    "Accounts",
    "Role",
]

metadata = MetaData()
web_accounts = Table(
    "web_accounts",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("role", String(16), nullable=False),
    Column("password_hash", String(200), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)

#: Checked when a name is unknown, so that a wrong name costs as long as a wrong password.
_DUMMY_HASH = hash_password("not a password of anyone")


class AccountError(InsertionError):
    """An account that cannot be made or found, or a database without accounts."""


@attrs.frozen
class Account:
    """Who is logged in: a counsellor sees their caseload, a director everything."""

    name: str
    role: Role

    @property
    def is_director(self) -> bool:
        return self.role == "director"

    def may_see(self, counsellor: str | None) -> bool:
        """Whether this account sees a participant followed by ``counsellor``."""
        return self.is_director or counsellor == self.name


class Accounts:
    """The ``web_accounts`` table of one database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def of(cls, workspace: Workspace) -> Accounts:
        """The accounts beside a workspace's data; only SQL databases hold them."""
        engine = getattr(workspace.storage, "engine", None)
        if not isinstance(engine, Engine):
            raise AccountError(
                "web accounts are kept in the programme's SQL database; "
                "use a sqlite: or postgresql: URL"
            )
        return cls(engine)

    def exists(self) -> bool:
        """Whether the table has been made (by a first ``insertion users add``)."""
        return inspect(self.engine).has_table(web_accounts.name)

    def add(self, name: str, role: str, password: str, *, replace: bool = False) -> Account:
        """Store an account, its password hashed; ``replace`` changes an existing one.

        :raises AccountError: a name that is not an identifier, an unknown role,
            a password too short, or a name already taken without ``replace``.
        """
        try:
            name = identifier(name)
        except ValueError as error:
            raise AccountError(f"account name: {error}") from None
        if role not in ROLES:
            raise AccountError(f"unknown role {role!r}, expected one of: {', '.join(ROLES)}")
        problem = password_problem(password)
        if problem is not None:
            raise AccountError(problem)
        row = {
            "name": name,
            "role": role,
            "password_hash": hash_password(password),
            "changed_at": dt.datetime.now(dt.UTC),
        }
        metadata.create_all(self.engine, checkfirst=True)
        with self.engine.begin() as connection:
            taken = connection.execute(
                select(web_accounts.c.name).where(web_accounts.c.name == name)
            ).first()
            if taken is not None and not replace:
                raise AccountError(
                    f"account {name!r} already exists; add --replace to change its password or role"
                )
            if taken is not None:
                connection.execute(
                    web_accounts.update().where(web_accounts.c.name == name).values(**row)
                )
            else:
                connection.execute(web_accounts.insert().values(**row))
        return Account(name, role)

    def get(self, name: str) -> Account | None:
        """The account called ``name``, or None."""
        if not self.exists():
            return None
        with self.engine.connect() as connection:
            row = connection.execute(
                select(web_accounts.c.name, web_accounts.c.role).where(web_accounts.c.name == name)
            ).first()
        return None if row is None else Account(row.name, cast(Role, row.role))

    def all(self) -> list[Account]:
        """Every account, by name."""
        if not self.exists():
            return []
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(web_accounts.c.name, web_accounts.c.role).order_by(web_accounts.c.name)
            ).all()
        return [Account(row.name, cast(Role, row.role)) for row in rows]

    def check(self, name: str, password: str) -> Account | None:
        """The account when ``password`` is its password; None otherwise, in about the same time."""
        row = None
        if self.exists():
            with self.engine.connect() as connection:
                row = connection.execute(
                    select(web_accounts).where(web_accounts.c.name == name)
                ).first()
        if row is None:
            verify_password(password, _DUMMY_HASH)
            return None
        if not verify_password(password, row.password_hash):
            return None
        return Account(row.name, cast(Role, row.role))
