"""The in-memory audit journal: entries only added, tokens kept per programme.

Entries and tokens go through the unit of work's transaction like every
other table, so an entry is published with the change it describes, or
forgotten with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import TYPE_CHECKING

import attrs

from ...audit.entry import AuditEntry

if TYPE_CHECKING:
    from .storage import _Transaction

__all__ = ["MemoryAuditJournal"]


class MemoryAuditJournal:
    """The journal (table ``audit``, keyed by ``seq``) and tokens (table ``subjects``)."""

    def __init__(self, tx: _Transaction) -> None:
        self._tx = tx

    def append(self, entry: AuditEntry) -> AuditEntry:
        """Add ``entry`` at the end; it is given the store's next ``seq``."""
        numbered = attrs.evolve(entry, seq=self._tx.next_seq())
        self._tx.put("audit", entry.programme_id, f"{numbered.seq:020d}", numbered)
        return numbered

    def entries(
        self,
        programme_id: str,
        *,
        subject: str | None = None,
        since: dt.datetime | None = None,
    ) -> Iterator[tuple[AuditEntry, str | None]]:
        """The programme's entries by ``seq``, each with the participant its token stands for."""
        whose = {
            token: participant_id
            for participant_id, token in self._tx.view("subjects", programme_id).items()
            if isinstance(token, str)
        }
        for _, entry in sorted(self._tx.view("audit", programme_id).items()):
            if not isinstance(entry, AuditEntry):
                continue
            if subject is not None and entry.subject != subject:
                continue
            if since is not None and entry.recorded_at < since:
                continue
            yield entry, None if entry.subject is None else whose.get(entry.subject)

    def subject(self, programme_id: str, participant_id: str) -> str | None:
        """The participant's token, or None."""
        token = self._tx.view("subjects", programme_id).get(participant_id)
        return token if isinstance(token, str) else None

    def link_subject(self, programme_id: str, participant_id: str, token: str) -> str:
        """The stored token of the participant, else ``token``, stored now."""
        stored = self.subject(programme_id, participant_id)
        if stored is not None:
            return stored
        self._tx.put("subjects", programme_id, participant_id, token)
        return token

    def forget_subject(self, programme_id: str, participant_id: str) -> bool:
        """Remove the participant's token; whether there was one."""
        had = self.subject(programme_id, participant_id) is not None
        self._tx.put("subjects", programme_id, participant_id, None)
        return had
