"""One line of the audit journal: who changed what, when, in which programme.

An entry holds codes and numbers only. The participant it concerns is named
by a random *subject token*, never by their id (see :mod:`.journal`), and
its ``counts`` are integers under code-like keys, so no name, phone, e-mail
or note can reach the journal through it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

import attrs

__all__ = ["AuditEntry", "check_operation"]

#: Operation names and count keys: dotted lower-case codes such as ``participant.exit``.
_CODE = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*")
_MAX_CODE = 64


def check_operation(name: str) -> str:
    """``name`` when it is a dotted lower-case code (``import``, ``participant.exit``).

    :raises ValueError: anything else: the journal keeps codes, never free text.
    """
    if not isinstance(name, str) or len(name) > _MAX_CODE or not _CODE.fullmatch(name):
        raise ValueError(
            f"an audit operation or count name is a dotted lower-case code of at most "
            f"{_MAX_CODE} characters, such as 'participant.exit'; got {name!r}"
        )
    return name


def _counts(value: Mapping[str, int] | None) -> Mapping[str, int]:
    """The counts, checked: code keys, non-negative integers; sorted by key."""
    checked: dict[str, int] = {}
    for key, number in sorted((value or {}).items()):
        check_operation(key)
        if isinstance(number, bool) or not isinstance(number, int) or number < 0:
            raise ValueError(f"audit count {key!r} must be a whole number >= 0, not {number!r}")
        checked[key] = number
    return checked


def _utc(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        raise ValueError("an audit entry's time must be timezone-aware")
    return value.astimezone(dt.UTC)


@attrs.frozen
class AuditEntry:
    """Who (``actor``) did what (``operation``, ``counts``) when, to which programme and subject.

    ``subject`` is the random token standing for the participant concerned, or
    None for a change to the programme as a whole (a programme saved, an
    import). ``seq`` is the entry's place in the journal, given by the storage.
    """

    recorded_at: dt.datetime = attrs.field(converter=_utc)
    actor: str
    operation: str = attrs.field(validator=lambda _, __, value: check_operation(value))
    programme_id: str
    subject: str | None = None
    counts: Mapping[str, int] = attrs.field(factory=dict, converter=_counts)
    seq: int | None = None
