"""The audit trail: an append-only journal of who changed what, when.

:func:`record` is what every write path calls, in the transaction of its
change; :func:`forget_subject` is what erasure calls; :func:`read_journal`
is what ``insertion audit`` shows. docs/personal-data.md, Audit trail, says
what is guaranteed and which test proves it.
"""

from __future__ import annotations

from .entry import AuditEntry, check_operation
from .journal import (
    ACTOR_ENV,
    AuditLine,
    check_actor,
    default_actor,
    forget_subject,
    read_journal,
    record,
    subject_token,
)

__all__ = [
    "ACTOR_ENV",
    "AuditEntry",
    "AuditLine",
    "check_actor",
    "check_operation",
    "default_actor",
    "forget_subject",
    "read_journal",
    "record",
    "subject_token",
]
