"""Date arithmetic in SQL, the same on SQLite and PostgreSQL as in Python.

docs/indicators.md counts in calendar months clamped to the month's end
(``add_months``) and in days. PostgreSQL's ``date + interval 'n months'``
clamps already; SQLite's ``date(d, '+n months')`` overflows into the next
month instead, so there the result is the earlier of that and the last day
of the target month. SQLite keeps dates as ``YYYY-MM-DD`` text, which sorts
as dates do, so comparisons work on both.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import ColumnElement, Date, Integer, cast, func, literal_column

__all__ = ["SqlDates"]


class SqlDates:
    """Builds date expressions for one dialect (``sqlite`` or ``postgresql``)."""

    def __init__(self, dialect: str) -> None:
        if dialect not in ("sqlite", "postgresql"):
            raise ValueError(f"no date arithmetic for SQL dialect {dialect!r}")
        self.sqlite = dialect == "sqlite"

    def add_months(self, day: ColumnElement[dt.date], months: int) -> ColumnElement[dt.date]:
        """``day`` plus ``months`` calendar months, clamped to the month's last day."""
        months = int(months)
        if self.sqlite:
            overflowing = func.date(day, f"{months:+d} months", type_=Date)
            month_end = func.date(day, "start of month", f"{months + 1:+d} months", "-1 day")
            return func.min(overflowing, month_end, type_=Date)
        return cast(day + literal_column(f"INTERVAL '{months} months'"), Date)

    def add_days(self, day: ColumnElement[dt.date], days: int) -> ColumnElement[dt.date]:
        """``day`` plus ``days`` days (negative to go back)."""
        days = int(days)
        if self.sqlite:
            return func.date(day, f"{days:+d} days", type_=Date)
        return cast(day + literal_column(str(days), Integer), Date)

    def days_between(
        self, later: ColumnElement[dt.date], earlier: ColumnElement[dt.date]
    ) -> ColumnElement[int]:
        """How many days ``later`` is after ``earlier`` (negative when before)."""
        if self.sqlite:
            return cast(func.julianday(later) - func.julianday(earlier), Integer)
        return cast(later - earlier, Integer)
