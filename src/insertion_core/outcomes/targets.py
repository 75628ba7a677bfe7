"""Each target of the programme beside its figure: the gap, met, and where the interval lies."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs

from ..domain.programme import Programme
from ..domain.targets import Direction, Target
from .definitions import IndicatorSet, RateDef
from .report import Rate, Tally

__all__ = ["TargetResult", "indicator_kinds", "target_results"]

Position = Literal["above", "around", "below"]


@attrs.frozen
class TargetResult:
    """A target and how the report's figure stands against it.

    ``gap`` is value − target; ``met`` compares the value itself in the
    target's direction; ``position`` is ``above`` or ``below`` when the whole
    95 % interval is, else ``around`` (None for a count, which has no interval).
    All three are None when the value is withheld or has no denominator.
    """

    target: float
    direction: Direction
    value: float | None
    gap: float | None
    met: bool | None
    position: Position | None

    def to_json_dict(self) -> dict[str, Any]:
        """``target``, ``direction``, ``gap``, ``met`` and ``position``."""
        return {
            "target": self.target,
            "direction": self.direction,
            "gap": self.gap,
            "met": self.met,
            "position": self.position,
        }


def _value(found: Rate | Tally) -> float | None:
    if isinstance(found, Rate):
        return found.value
    return found.count if isinstance(found.count, int) else None


def _position(ci95: tuple[float, float] | None, target: float) -> Position | None:
    if ci95 is None:
        return None
    if ci95[0] > target:
        return "above"
    if ci95[1] < target:
        return "below"
    return "around"


def target_results(
    targets: Sequence[Target], indicators: Mapping[str, Rate | Tally]
) -> dict[str, TargetResult]:
    """The result of every target whose indicator is in the report, in the programme's order."""
    results = {}
    for target in targets:
        found = indicators.get(target.indicator)
        if found is None:
            continue
        value = _value(found)
        if value is None:
            results[target.indicator] = TargetResult(
                target.value, target.direction, None, None, None, None
            )
            continue
        met = value >= target.value if target.direction == "at_least" else value <= target.value
        ci95 = found.ci95 if isinstance(found, Rate) else None
        results[target.indicator] = TargetResult(
            target.value,
            target.direction,
            value,
            value - target.value,
            met,
            _position(ci95, target.value),
        )
    return results


def indicator_kinds(programme: Programme, sets: Mapping[str, IndicatorSet]) -> dict[str, bool]:
    """Every indicator id of every set, True for a rate: what a target may name."""
    return {
        ind.id: isinstance(ind, RateDef)
        for indicator_set in sets.values()
        for ind in indicator_set.indicators(programme)
    }
