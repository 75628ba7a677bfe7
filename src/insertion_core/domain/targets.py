"""The programme's targets: ``[targets]`` in the programme file (docs/indicators.md, Targets).

``remobilisation_rate = 0.85`` means at least 85 %; ``dropout_rate = { at_most
= 0.12 }`` means at most 12 %. Which indicator ids exist depends on the
indicator sets the plugins register, so the ids are checked where the sets are
known (:func:`unknown_target_error`), not here.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from typing import Any, Literal

import attrs

from ..errors import ConfigError
from .toml_reader import TableReader

__all__ = ["Direction", "Target", "parse_targets", "unknown_target_error"]

Direction = Literal["at_least", "at_most"]

_EXPECTED = "a number at least 0, or a table { at_least = N } or { at_most = N }"


@attrs.frozen
class Target:
    """The value an indicator should reach, and in which direction."""

    indicator: str
    value: float
    direction: Direction = "at_least"


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) and number >= 0 else None


def _target(indicator: str) -> Any:
    def check(value: Any) -> Target | None:
        if isinstance(value, Mapping):
            if len(value) != 1:
                return None
            ((direction, bound),) = value.items()
            number = _number(bound)
            if direction not in ("at_least", "at_most") or number is None:
                return None
            return Target(indicator, number, direction)
        number = _number(value)
        return None if number is None else Target(indicator, number)

    return check


def parse_targets(root: TableReader) -> tuple[Target, ...]:
    """The ``[targets]`` table, one target per indicator id, in the file's order."""
    table = root.sub("targets")
    found = tuple(table.get(key, _target(key), _EXPECTED, None) for key in list(table.table))
    table.finish()
    return tuple(t for t in found if t is not None)


def unknown_target_error(
    targets: Collection[Target], known: Mapping[str, bool], source: str
) -> ConfigError | None:
    """The error for the first target on an unknown indicator, or a rate target above 1.

    :param known: every indicator id of every registered set, True for a rate.
    """
    for target in targets:
        if target.indicator not in known:
            listed = ", ".join(sorted(known)) or "none"
            return ConfigError(
                f"{source}: targets.{target.indicator}: unknown indicator "
                f"(known indicators: {listed})"
            )
        if known[target.indicator] and target.value > 1:
            return ConfigError(
                f"{source}: targets.{target.indicator}: expected a rate from 0 to 1, "
                f"got {target.value!r}"
            )
    return None
