"""Counting facts into cells, per scope (the whole selection and each breakdown group).

Memory is bounded by cells × groups, whatever the number of participants.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Sequence

from ..domain.programme import Programme
from .breakdowns import Dimension
from .definitions import IndicatorSet, gender_key
from .facts import OutcomeFacts
from .groups import POPULATION_PART, FactsGroup
from .provenance import FactsDigest
from .selection import Basis, basis_date, is_selected

__all__ = ["POPULATION_CELLS", "CellCounts", "population_cell", "scope_of"]

POPULATION_KEYS = ("selected", "in_programme", "pending", "neutralised", "mature")
POPULATION_CELLS = tuple(f"population.{key}" for key in POPULATION_KEYS)


def population_cell(key: str) -> str:
    """The cell of population count ``key``."""
    return f"population.{key}"


def scope_of(dimension: str, group: str) -> str:
    """The scope name of one breakdown group; the whole selection is ``""``."""
    return f"{dimension}={group}"


class CellCounts:
    """Running totals of cells for one report: fed one fact at a time."""

    def __init__(
        self,
        programme: Programme,
        sets: Sequence[IndicatorSet],
        dimensions: Sequence[Dimension],
        basis: Basis,
        start: dt.date | None,
        end: dt.date,
    ) -> None:
        self.programme = programme
        self.sets = tuple(sets)
        self.dimensions = tuple(dimensions)
        self.basis: Basis = basis
        self.start = start
        self.end = end
        self.total: Counter[str] = Counter()
        self.groups: dict[str, dict[str, Counter[str]]] = {d.name: {} for d in self.dimensions}
        self.digest = FactsDigest()
        #: Selected participants per gender key, for merging a small category.
        self.genders: Counter[str] = Counter()
        self.earliest: dt.date | None = None

    def add(self, facts: OutcomeFacts) -> bool:
        """Count ``facts`` when selected; True when it was."""
        if not is_selected(facts, self.basis, self.start, self.end):
            return False
        cells = [population_cell("selected"), population_cell(facts.population.value)]
        for indicator_set in self.sets:
            cells.extend(indicator_set.contributions(self.programme, facts))
        self.total.update(cells)
        for dimension in self.dimensions:
            group = dimension.key(facts)
            self.groups[dimension.name].setdefault(group, Counter()).update(cells)
        self.digest.add(facts)
        self.genders[gender_key(facts)] += 1
        day = basis_date(facts, self.basis)
        if day is not None and (self.earliest is None or day < self.earliest):
            self.earliest = day
        return True

    def add_group(self, group: FactsGroup) -> None:
        """Count a group of stored facts as ``count`` copies of its fact, for its part only.

        The population part adds the population cells, the gender counts, the
        fingerprint and the earliest date; a set's part adds that set's cells.
        The time-to-outcome part is not counted here.

        :raises ValueError: when the group was selected for another basis or
            period, or is the part of a set this report does not count.
        """
        if (group.basis, group.start, group.end) != (self.basis, self.start, self.end):
            raise ValueError(
                f"a group selected on {group.basis} {group.start}..{group.end} cannot be "
                f"counted in a report on {self.basis} {self.start}..{self.end}"
            )
        facts = group.facts
        if group.part == POPULATION_PART:
            cells = [population_cell("selected"), population_cell(facts.population.value)]
            self.digest.add_total(group.count, group.total)
            self.genders[gender_key(facts)] += group.count
            if group.earliest is not None and (
                self.earliest is None or group.earliest < self.earliest
            ):
                self.earliest = group.earliest
        else:
            chosen = [s for s in self.sets if s.name == group.part]
            if not chosen:
                raise ValueError(f"a group of set {group.part!r} in a report without that set")
            cells = list(chosen[0].contributions(self.programme, facts))
        weighted = Counter({cell: n * group.count for cell, n in Counter(cells).items()})
        self.total.update(weighted)
        for dimension in self.dimensions:
            key = dimension.key(facts)
            self.groups[dimension.name].setdefault(key, Counter()).update(weighted)

    def scopes(self) -> dict[str, Counter[str]]:
        """Every scope's counts: ``""`` for the whole, then each group of each dimension."""
        found: dict[str, Counter[str]] = {"": self.total}
        for dimension in self.dimensions:
            seen = self.groups[dimension.name]
            for group in dimension.groups(seen):
                found[scope_of(dimension.name, group)] = seen.get(group, Counter())
        return found

    def group_names(self, dimension: Dimension) -> list[str]:
        """The groups listed for ``dimension``."""
        return dimension.groups(self.groups[dimension.name])
