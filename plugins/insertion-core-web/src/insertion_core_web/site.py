"""One served programme: its database, its words, its day, and a workspace per account.

:func:`open_workspace` is the one place the pages open a
:class:`~insertion_core.Workspace` for a signed-in account, so every write
they make goes through the same ``Workspace`` methods as the command line,
on behalf of that account.
"""

from __future__ import annotations

import datetime as dt
import threading

import attrs
import pluggy

from insertion_core import Workspace
from insertion_core.clock import today_in
from insertion_core.domain.programme import Programme

from .accounts import Account, AccountError, Accounts
from .labels import Words, words

__all__ = ["Site", "open_workspace"]


def open_workspace(url: str, plugin_manager: pluggy.PluginManager, account: Account) -> Workspace:
    """The workspace the pages use on behalf of ``account``: its writes are the account's.

    The account's name is the actor the audit journal records for what it writes.
    """
    return Workspace.open(url, plugin_manager=plugin_manager, actor=account.name)


@attrs.define
class Site:
    """What the server serves: one programme of one database, as on ``as_of`` or today."""

    url: str
    plugin_manager: pluggy.PluginManager
    programme: Programme
    accounts: Accounts
    as_of: dt.date | None = None
    _workspaces: dict[str, Workspace] = attrs.field(factory=dict)
    _lock: threading.Lock = attrs.field(factory=threading.Lock)

    @classmethod
    def open(
        cls,
        url: str,
        plugin_manager: pluggy.PluginManager,
        programme_id: str | None = None,
        as_of: dt.date | None = None,
    ) -> Site:
        """Check the database before serving it: its programme, and at least one account.

        The workspace opened here stays open for the accounts table, which is
        read on every request; :meth:`close` closes it.

        :raises AccountError: no account yet, or several programmes and none chosen.
        :raises NotFoundError: ``programme_id`` is not in the database.
        """
        workspace = Workspace.open(url, plugin_manager=plugin_manager)
        try:
            accounts = Accounts.of(workspace)
            if programme_id is None:
                ids = workspace.programme_ids()
                if len(ids) != 1:
                    known = ", ".join(ids) or "none yet"
                    raise AccountError(
                        f"choose the programme to serve with --programme (in the database: {known})"
                    )
                programme_id = ids[0]
            programme = workspace.programme(programme_id)
            if not accounts.all():
                raise AccountError(
                    "no web account yet; add one with: insertion users add NAME --role director"
                )
        except BaseException:
            workspace.close()
            raise
        site = cls(url, plugin_manager, programme, accounts, as_of)
        site._workspaces[""] = workspace  # no account is called "": names are identifiers
        return site

    @property
    def words(self) -> Words:
        return words(self.programme.locale)

    def today(self) -> dt.date:
        """The day the lists are computed for: ``as_of`` when given, else today there."""
        return self.as_of if self.as_of is not None else today_in(self.programme.timezone)

    def workspace(self, account: Account) -> Workspace:
        """The account's workspace, opened on first use and kept until :meth:`close`."""
        with self._lock:
            found = self._workspaces.get(account.name)
            if found is None:
                found = open_workspace(self.url, self.plugin_manager, account)
                self._workspaces[account.name] = found
            return found

    def close(self) -> None:
        """Close every workspace: the accounts' one and those opened for an account."""
        with self._lock:
            for workspace in self._workspaces.values():
                workspace.close()
            self._workspaces.clear()
