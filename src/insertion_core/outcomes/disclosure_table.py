"""The table disclosure control works on: keyed cells, what is published, and the relations.

A report's integer cells are keyed ``(scope, cell)``; relations are linear
equalities ``total = Σ w·part`` between them. This module also gives the
attacker's view of a table: the cells it cannot read, grouped by the relations
that link them, and those relations as equalities over the unknown cells.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Iterator, Mapping
from typing import Literal

import attrs

from ..errors import InsertionError

__all__ = [
    "CellGroups",
    "DisclosureError",
    "Key",
    "RelationKeys",
    "Status",
    "Table",
    "linked_groups",
    "relation_equalities",
    "unknown_cells",
]

Key = tuple[str, str]


Status = Literal["shown", "small", "withheld"]


class DisclosureError(InsertionError):
    """A public report could not be protected: it is not written."""


@attrs.frozen
class RelationKeys:
    """``total = Σ weight·part`` over keyed cells; weights default to 1."""

    total: Key
    parts: tuple[Key, ...]
    weights: tuple[int, ...] = ()

    def terms(self) -> Iterator[tuple[Key, int]]:
        """``(cell, coefficient)`` with ``Σ coefficient·cell = 0``."""
        yield self.total, 1
        weights = self.weights or (1,) * len(self.parts)
        for part, weight in zip(self.parts, weights, strict=True):
            yield part, -weight


@attrs.frozen
class Table:
    """Every cell of a report with its exact value, which of them are published, and the relations."""

    values: Mapping[Key, int]
    published: frozenset[Key]
    relations: tuple[RelationKeys, ...]
    #: Never published and not themselves protected: cells that only state a relation a
    #: reader knows (leavers not yet in an ESF+ base, leavers by number of check-ins).
    auxiliary: frozenset[Key] = frozenset()

    def restricted(self, scopes: Collection[str]) -> Table:
        """The cells of ``scopes`` and the relations among them alone."""
        values = {key: v for key, v in self.values.items() if key[0] in scopes}
        relations = tuple(
            r for r in self.relations if all(key[0] in scopes for key, _ in r.terms())
        )
        return Table(
            values,
            frozenset(k for k in self.published if k[0] in scopes),
            relations,
            frozenset(k for k in self.auxiliary if k[0] in scopes),
        )

    def small(self, k: int) -> list[Key]:
        """The cells from 1 to k−1, published or not (but not auxiliary), in a stable order."""
        return sorted(
            key for key, value in self.values.items() if 0 < value < k and key not in self.auxiliary
        )


def unknown_cells(table: Table, withheld: set[Key]) -> set[Key]:
    """What the attacker does not read: withheld cells and cells never published."""
    return {key for key in table.values if key in withheld or key not in table.published}


@attrs.frozen
class CellGroups:
    """Cells linked through relations: each cell's group, each group's cells and relations."""

    of: dict[Key, int]
    cells: dict[int, list[Key]]
    relations: dict[int, list[RelationKeys]]


def linked_groups(table: Table, linked: set[Key]) -> CellGroups:
    """The connected groups of ``linked`` cells through the relations (union-find)."""
    parent = {key: key for key in linked}

    def find(key: Key) -> Key:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for relation in table.relations:
        members = [key for key, _ in relation.terms() if key in linked]
        for other in members[1:]:
            parent[find(other)] = find(members[0])
    roots: dict[Key, int] = {}
    of = {key: roots.setdefault(find(key), len(roots)) for key in sorted(linked)}
    cells: dict[int, list[Key]] = {}
    for key, group in of.items():
        cells.setdefault(group, []).append(key)
    relations: dict[int, list[RelationKeys]] = {}
    for relation in table.relations:
        for key, _ in relation.terms():
            if key in linked:
                relations.setdefault(of[key], []).append(relation)
                break
    return CellGroups(of, cells, relations)


def relation_equalities(
    table: Table,
    index: Mapping[Key, int],
    unknown: set[Key],
    relations: Iterable[RelationKeys],
) -> tuple[list[dict[int, float]], list[float]]:
    """The ``relations`` over the cells of ``index``, with the published values moved right.

    A relation with an unknown cell outside ``index`` belongs to another group.
    """
    rows: list[dict[int, float]] = []
    rhs: list[float] = []
    for relation in relations:
        row: dict[int, float] = {}
        constant = 0.0
        for key, coefficient in relation.terms():
            if key in index:
                row[index[key]] = row.get(index[key], 0.0) + coefficient
            elif key in unknown:
                row = {}
                break
            else:
                constant -= coefficient * table.values[key]
        row = {c: v for c, v in row.items() if v}
        if row:
            rows.append(row)
            rhs.append(constant)
    return rows, rhs
