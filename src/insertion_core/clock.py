"""The clock, read at the service layer's edge: the domain and the outcome engine never read it.

"Today" means today in the programme's timezone; it is the default ``as_of``
of every command and service call that takes one.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

__all__ = ["now", "today_in"]


def today_in(timezone: str) -> dt.date:
    """Today's date in ``timezone`` (an IANA name such as ``Europe/Paris``)."""
    return dt.datetime.now(zoneinfo.ZoneInfo(timezone)).date()


def now() -> dt.datetime:
    """The current time in UTC, as stamped in a report's provenance."""
    return dt.datetime.now(dt.UTC)
