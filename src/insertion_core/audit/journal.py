"""Writing and reading the audit journal, and forgetting a participant in it.

The journal is append-only (the database refuses to change or delete an
entry), yet a participant may ask to be erased. So the journal never holds a
participant id: it holds a random *subject token*, and a separate mapping
(programme, participant id -> token) says whom a token stands for. Erasing a
person deletes their mapping row with :func:`forget_subject`; their entries
stay, but nothing links them to anyone any more (crypto-shredding without a key).

Every write path calls :func:`record` inside the unit of work of the change
it describes, so the entry is committed or rolled back with it.
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import secrets
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import attrs

from .. import clock
from ..domain.identifiers import identifier
from ..errors import IdentifierError
from .entry import AuditEntry

if TYPE_CHECKING:
    from ..storage import UnitOfWork

__all__ = [
    "ACTOR_ENV",
    "AuditLine",
    "check_actor",
    "default_actor",
    "forget_subject",
    "read_journal",
    "record",
    "subject_token",
]

#: The environment variable naming who acts, when ``--actor`` is not given.
ACTOR_ENV = "INSERTION_ACTOR"


def check_actor(name: str) -> str:
    """``name`` when it can stand for who acted: an identifier (one script, printable, <= 100).

    :raises IdentifierError: empty, too long, or holding control or look-alike characters.
    """
    try:
        return identifier(name)
    except IdentifierError as error:
        raise IdentifierError(f"the actor is not usable: {error}") from None


def default_actor() -> str:
    """Who acts when nobody said: ``INSERTION_ACTOR``, else the operating system's user name.

    :raises IdentifierError: ``INSERTION_ACTOR`` is set but empty or unusable.
    """
    named = os.environ.get(ACTOR_ENV)
    if named is not None:
        try:
            return check_actor(named)
        except IdentifierError as error:
            raise IdentifierError(f"{ACTOR_ENV}: {error}") from None
    try:
        user = getpass.getuser()
    except (OSError, KeyError):  # no login name and no passwd entry (some containers)
        user = f"uid-{os.getuid()}" if hasattr(os, "getuid") else "unknown"
    return check_actor(user)


def subject_token() -> str:
    """A new subject token: 128 random bits in hex, unrelated to any id."""
    return secrets.token_hex(16)


def record(
    uow: UnitOfWork,
    actor: str,
    operation: str,
    programme_id: str,
    participant_id: str | None = None,
    counts: Mapping[str, int] | None = None,
    *,
    at: dt.datetime | None = None,
) -> AuditEntry:
    """Append an entry to the journal in ``uow``'s transaction, and return it with its ``seq``.

    :param operation: a dotted code, such as ``participant.exit`` or ``import``.
    :param participant_id: the participant concerned; the journal keeps their
        subject token (made on first use), never the id.
    :param counts: numbers worth keeping, such as rows imported, by code.
    :param at: when (timezone-aware); now, in UTC, by default.
    :raises IdentifierError: the actor is not usable.
    :raises ValueError: the operation or a count is not a code and a number.
    """
    subject = None
    if participant_id is not None:
        subject = uow.audit.link_subject(programme_id, participant_id, subject_token())
    entry = AuditEntry(
        clock.now() if at is None else at,
        check_actor(actor),
        operation,
        programme_id,
        subject,
        counts or {},
    )
    return uow.audit.append(entry)


def forget_subject(uow: UnitOfWork, programme_id: str, participant_id: str) -> bool:
    """Delete the participant's subject token, so their journal entries name nobody any more.

    Record the erasure itself first (with ``participant_id``), or afterwards
    without it: recording with the id after forgetting would make a new token.
    Returns whether there was a token.
    """
    return uow.audit.forget_subject(programme_id, participant_id)


@attrs.frozen
class AuditLine:
    """An entry as shown: with the participant its token stands for, when still known."""

    entry: AuditEntry
    participant_id: str | None = None

    @property
    def forgotten(self) -> bool:
        """True when the entry concerned a participant whose token was forgotten (erased)."""
        return self.entry.subject is not None and self.participant_id is None

    def to_json_dict(self) -> dict[str, Any]:
        """What ``insertion audit --format json`` prints for the entry (never the token)."""
        entry = self.entry
        return {
            "seq": entry.seq,
            "recorded_at": entry.recorded_at.isoformat(),
            "actor": entry.actor,
            "operation": entry.operation,
            "programme_id": entry.programme_id,
            "participant_id": self.participant_id,
            "participant_forgotten": self.forgotten,
            "counts": dict(entry.counts),
        }


def read_journal(
    uow: UnitOfWork,
    programme_id: str,
    *,
    participant_id: str | None = None,
    since: dt.datetime | None = None,
) -> list[AuditLine]:
    """The programme's entries in the order they were written, optionally one participant's.

    :param since: only entries recorded at or after this time (timezone-aware).
    """
    subject = None
    if participant_id is not None:
        subject = uow.audit.subject(programme_id, participant_id)
        if subject is None:
            return []
    return [
        AuditLine(entry, participant)
        for entry, participant in uow.audit.entries(programme_id, subject=subject, since=since)
    ]
