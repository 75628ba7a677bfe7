"""Disclosure control: small cells, rate suppression and secondary suppression.

docs/indicators.md, "Disclosure control". Cells are counts keyed by
``(scope, cell)``; rates and relations (``total = sum of parts``) link them.
After the primary rules, two passes run to a fixpoint: the rules of the
page (a relation with exactly one hidden member gets its smallest non-zero
shown member hidden too), then an exact check that no hidden cell can be
solved from all the published relations together, by linear algebra.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Literal

import attrs

__all__ = ["Key", "Reason", "protect", "solvable"]

Key = tuple[str, str]
Reason = Literal["small", "masked"]


@attrs.frozen
class RelationKeys:
    """``total`` = sum of ``parts``, over keyed cells; see :class:`~.definitions.Relation`."""

    total: Key
    parts: tuple[Key, ...]
    hide_total_first: bool = False

    @property
    def members(self) -> tuple[Key, ...]:
        """The total, then the parts."""
        return (self.total, *self.parts)


def protect(
    values: Mapping[Key, int],
    rates: Sequence[tuple[Key, Key]],
    relations: Sequence[RelationKeys],
    min_cell: int,
) -> dict[Key, Reason]:
    """The cells to hide, each with why: ``small`` (1 to k−1) or ``masked`` (to protect another).

    A rate whose numerator is hidden is suppressed. ``min_cell`` 0 hides nothing.
    """
    hidden: dict[Key, Reason] = {}
    if min_cell <= 0:
        return hidden
    for key, value in values.items():
        if 0 < value < min_cell:
            hidden[key] = "small"
    while True:
        _local_rules(values, rates, relations, min_cell, hidden)
        found = solvable(set(hidden), relations)
        if not found:
            return hidden
        before = len(hidden)
        _hide_one(values, hidden, _component(found[0], hidden, relations), by_value=True)
        if len(hidden) == before:
            return hidden


def _local_rules(
    values: Mapping[Key, int],
    rates: Sequence[tuple[Key, Key]],
    relations: Sequence[RelationKeys],
    min_cell: int,
    hidden: dict[Key, Reason],
) -> None:
    changed = True
    while changed:
        changed = False
        for numerator, denominator in rates:
            if numerator in hidden:
                continue
            complement = values.get(denominator, 0) - values.get(numerator, 0)
            if denominator in hidden or 0 < complement < min_cell:
                hidden[numerator] = "masked"
                changed = True
        for relation in relations:
            if sum(1 for key in relation.members if key in hidden) == 1:
                _hide_one(values, hidden, [relation])
                changed = True


def _component(
    start: Key, hidden: Mapping[Key, Reason], relations: Sequence[RelationKeys]
) -> list[RelationKeys]:
    """The relations linked to ``start`` through hidden cells."""
    seen = {start}
    todo = [start]
    found: list[RelationKeys] = []
    taken: set[int] = set()
    while todo:
        key = todo.pop()
        for index, relation in enumerate(relations):
            if index in taken or key not in relation.members:
                continue
            taken.add(index)
            found.append(relation)
            for member in relation.members:
                if member in hidden and member not in seen:
                    seen.add(member)
                    todo.append(member)
    return found


def _hide_one(
    values: Mapping[Key, int],
    hidden: dict[Key, Reason],
    relations: Iterable[RelationKeys],
    by_value: bool = False,
) -> None:
    """Hide the smallest non-zero shown part; failing that a total, then a zero part.

    ``by_value``: among totals, the smallest (else the first relation's).
    """
    candidates: list[tuple[int, int, int, Key]] = []
    for relation in relations:
        for index, key in enumerate(relation.parts):
            if key not in hidden:
                value = values.get(key, 0)
                candidates.append((0 if value else 2, value, index, key))
        if relation.total not in hidden:
            rank = -1 if relation.hide_total_first else 1
            value = values.get(relation.total, 0) if by_value else 0
            candidates.append((rank, value, 0, relation.total))
    if candidates:
        hidden[min(candidates)[3]] = "masked"


def solvable(hidden: set[Key], relations: Sequence[RelationKeys]) -> list[Key]:
    """The hidden cells that the relations determine exactly, given every shown cell.

    A cell is determined when its unit vector lies in the row space of the
    relations restricted to hidden cells: in reduced row echelon form, its
    pivot row has no other non-zero entry.
    """
    pivots: dict[Key, dict[Key, Fraction]] = {}
    for relation in relations:
        row: dict[Key, Fraction] = {}
        for key, sign in ((relation.total, 1), *((part, -1) for part in relation.parts)):
            if key in hidden:
                row[key] = row.get(key, Fraction(0)) + sign
        row = {key: c for key, c in row.items() if c}
        for col in [key for key in row if key in pivots]:
            coeff = row.get(col)
            if coeff:
                _add(row, pivots[col], -coeff)
        if not row:
            continue
        col = min(row)
        scale = row[col]
        row = {key: c / scale for key, c in row.items()}
        for other in pivots.values():
            coeff = other.get(col)
            if coeff:
                _add(other, row, -coeff)
        pivots[col] = row
    return sorted(col for col, row in pivots.items() if len(row) == 1)


def _add(row: dict[Key, Fraction], other: Mapping[Key, Fraction], factor: Fraction) -> None:
    """``row += factor * other``, dropping zeros."""
    for key, c in other.items():
        value = row.get(key, Fraction(0)) + factor * c
        if value:
            row[key] = value
        else:
            row.pop(key, None)
