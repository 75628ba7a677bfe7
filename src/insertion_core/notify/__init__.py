"""Notices to counsellors: due check-ins and at-risk alerts, sent once through notifier plugins.

Names are imported on first use (PEP 562): a notifier plugin that needs only
:class:`AttemptDeadline` and :func:`deadline_of` at import time, as every
``insertion`` command loads it, does not pull in the domain.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..lazy import lazy_exports

if TYPE_CHECKING:
    from .deadline import AttemptDeadline, DeadlineExceeded, deadline_of
    from .ledger import LedgerEntry, LedgerStatus, RetryPolicy
    from .notice import Notice, NoticeKind
    from .notifier import Notifier
    from .settings import SHARED_KEYS, unknown_keys

__all__ = [
    "SHARED_KEYS",
    "AttemptDeadline",
    "DeadlineExceeded",
    "LedgerEntry",
    "LedgerStatus",
    "Notice",
    "NoticeKind",
    "Notifier",
    "RetryPolicy",
    "deadline_of",
    "unknown_keys",
]

_public = lazy_exports(
    __name__,
    {
        ".deadline": ("AttemptDeadline", "DeadlineExceeded", "deadline_of"),
        ".ledger": ("LedgerEntry", "LedgerStatus", "RetryPolicy"),
        ".notice": ("Notice", "NoticeKind"),
        ".notifier": ("Notifier",),
        ".settings": ("SHARED_KEYS", "unknown_keys"),
    },
)


def __getattr__(name: str) -> Any:
    """Import a public name from its module on first use."""
    return _public(name)


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
