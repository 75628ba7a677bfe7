"""Notices to counsellors: due check-ins and at-risk alerts, sent once through notifier plugins."""

from .ledger import LedgerEntry, LedgerStatus, RetryPolicy
from .notice import Notice, NoticeKind
from .notifier import Notifier

__all__ = ["LedgerEntry", "LedgerStatus", "Notice", "NoticeKind", "Notifier", "RetryPolicy"]
