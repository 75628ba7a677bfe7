"""The trend table of ``--by year``: every rate per year and its change from the previous year."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from .report import Group, Rate

__all__ = ["YearTrend", "year_trends"]


@attrs.frozen
class YearTrend:
    """One rate in one year, and its change from the year before in percentage points.

    ``change_pp`` is None when either year's value is null, or when the year
    before has no group (nobody selected in it).
    """

    value: float | None
    ci95: tuple[float, float] | None
    change_pp: float | None

    def to_json_dict(self) -> dict[str, Any]:
        """``value``, ``ci95`` and ``change_pp``."""
        return {
            "value": self.value,
            "ci95": None if self.ci95 is None else list(self.ci95),
            "change_pp": self.change_pp,
        }


def year_trends(years: Mapping[str, Group]) -> dict[str, dict[str, YearTrend]]:
    """For every rate of the year groups: the years in order, each with its change.

    Empty when the report has no year breakdown.
    """
    ordered = sorted(years, key=lambda year: (not year.isdigit(), year))
    rates: dict[str, dict[str, YearTrend]] = {}
    for year in ordered:
        for indicator_id, found in years[year].indicators.items():
            if not isinstance(found, Rate):
                continue
            before = years.get(str(int(year) - 1)) if year.isdigit() else None
            previous = before.indicators.get(indicator_id) if before else None
            change = None
            if (
                isinstance(previous, Rate)
                and previous.value is not None
                and found.value is not None
            ):
                change = (found.value - previous.value) * 100
            rates.setdefault(indicator_id, {})[year] = YearTrend(found.value, found.ci95, change)
    return rates
