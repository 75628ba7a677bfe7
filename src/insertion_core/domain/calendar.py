"""Calendar arithmetic the definitions rely on: months, windows and ages."""

from __future__ import annotations

import calendar as _stdlib_calendar
import datetime as dt

import attrs

__all__ = ["Window", "add_months", "age_on", "last_day_of_month"]


def last_day_of_month(year: int, month: int) -> int:
    """Number of the last day of ``month`` in ``year``."""
    return _stdlib_calendar.monthrange(year, month)[1]


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` moved by ``months`` calendar months, the day clamped to the month's end.

    2024-08-31 + 6 months is 2025-02-28: the day of the month is kept when it
    exists and clamped to the last day otherwise (docs/indicators.md, Common rules).
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month0 = divmod(index, 12)
    month = month0 + 1
    if day.day <= 28:  # every month has it: no calendar look-up (the common case, and a hot one)
        return dt.date(year, month, day.day)
    return dt.date(year, month, min(day.day, last_day_of_month(year, month)))


def age_on(birth: dt.date, on: dt.date) -> int:
    """Age in whole years on ``on``; someone born on 29 February ages on 1 March in common years."""
    years = on.year - birth.year
    if (on.month, on.day) < (birth.month, birth.day):
        years -= 1
    return years


@attrs.frozen
class Window:
    """A closed range of days ``[start, end]``, both ends included."""

    start: dt.date
    end: dt.date

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(f"window ends ({self.end}) before it starts ({self.start})")

    @classmethod
    def months_after(cls, start: dt.date, months: int) -> Window:
        """The window ``[start, add_months(start, months)]``."""
        return cls(start, add_months(start, months))

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day <= self.end
