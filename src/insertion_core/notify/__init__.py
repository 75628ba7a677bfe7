"""Notices to counsellors: due check-ins and at-risk alerts, sent once through notifier plugins."""

from .deadline import AttemptDeadline, DeadlineExceeded, deadline_of
from .ledger import LedgerEntry, LedgerStatus, RetryPolicy
from .notice import Notice, NoticeKind
from .notifier import Notifier

__all__ = [
    "AttemptDeadline",
    "DeadlineExceeded",
    "LedgerEntry",
    "LedgerStatus",
    "Notice",
    "NoticeKind",
    "Notifier",
    "RetryPolicy",
    "deadline_of",
]
