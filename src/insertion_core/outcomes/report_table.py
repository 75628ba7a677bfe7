"""The table a public report is protected on, and the order it is protected in.

:class:`ReportCells` turns the counts of every scope into a disclosure
:class:`~.disclosure.Table` (published cells, hidden relation cells, rate
complements, breakdown sums); :func:`protect_report` protects the headline
first, then each breakdown given the headline (docs/indicators.md, Disclosure
control).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from .breakdowns import Dimension
from .counting import POPULATION_CELLS
from .definitions import CountDef, IndicatorDef, RateDef, Relation
from .disclosure import DisclosureError, Key, RelationKeys, Status, Table, audit, protect
from .report import Merge

__all__ = ["BREAKDOWN_ROUNDS", "ReportCells", "protect_report"]


#: Rounds of choice and audit one breakdown may take before it is withheld whole.
BREAKDOWN_ROUNDS = 8


def protect_report(
    table: Table, k: int, dimensions: Sequence[Dimension]
) -> tuple[dict[Key, Status], tuple[str, ...]]:
    """The headline protected alone, then each breakdown given the headline, then together.

    A breakdown that
    cannot be protected given the headline (zeros are shown, and the headline
    does not change), or not within :data:`BREAKDOWN_ROUNDS`, is not
    published: its name is returned with the statuses.
    """
    status = protect(table.restricted(("",)), k)
    headline = {key: s != "shown" for key, s in status.items()}
    kept: dict[str, set[str]] = {}
    dropped: list[str] = []
    for dim in dimensions:
        scopes = {key[0] for key in table.values if key[0].startswith(f"{dim.name}=")}
        part = table.restricted({"", *scopes})
        try:
            found = protect(part, k, headline, rounds=BREAKDOWN_ROUNDS)
        except DisclosureError:
            dropped.append(dim.name)
            continue
        status.update({key: s for key, s in found.items() if key[0] != ""})
        kept[dim.name] = scopes
    if len(kept) > 1:
        # protect() ends with a passing audit of what it is given: the headline and one
        # breakdown. Several breakdowns may give back together what none gives alone.
        whole = table.restricted({"", *(scope for scopes in kept.values() for scope in scopes)})
        withheld = {key for key, s in status.items() if s != "shown"}
        if audit(whole, withheld, k):
            try:
                status = protect(whole, k, {key: key in withheld for key in whole.published})
            except DisclosureError:
                status = {key: s for key, s in status.items() if key[0] == ""}
                dropped += kept
    return status, tuple(dropped)


class ReportCells:
    """The cells of a report: those published, those only in relations, and rate complements.

    A merged category's split cells (``esf_plus.participants.X``) are counted
    into the cell of the category it joins and exist no more.
    """

    def __init__(
        self,
        indicators: Sequence[IndicatorDef],
        relations: Sequence[Relation],
        merged: Sequence[Merge],
        extra: Sequence[str] = (),
    ) -> None:
        """:param extra: published cells that no indicator declares (the time-to-outcome grid)."""
        groups = {(m.group, m.into) for m in merged if m.dimension == "gender"}
        self.renamed = {
            f"{ind.cell}.{group}": f"{ind.cell}.{into}"
            for ind in indicators
            if isinstance(ind, CountDef)
            for group, into in groups
        }
        published: dict[str, None] = dict.fromkeys((*POPULATION_CELLS, *extra))
        rates: dict[tuple[str, str], None] = {}
        for ind in indicators:
            if isinstance(ind, RateDef):
                published.update(dict.fromkeys((ind.numerator, ind.denominator)))
                rates[(ind.numerator, ind.denominator)] = None
            else:
                split = (c for c in ind.gender_cells if c not in self.renamed)
                published.update(dict.fromkeys((ind.cell, *split)))
        self.published = list(published)
        self.rates = list(rates)
        self.relations = [self._without_renamed(r) for r in relations]
        hidden: dict[str, None] = {}
        for relation in self.relations:
            members = (relation.total, *relation.parts)
            hidden.update(dict.fromkeys(c for c in members if c not in published))
        self.hidden = list(hidden)

    def _without_renamed(self, relation: Relation) -> Relation:
        weights = relation.weights or (1,) * len(relation.parts)
        kept = [
            (p, w) for p, w in zip(relation.parts, weights, strict=True) if p not in self.renamed
        ]
        return Relation(relation.total, tuple(p for p, _ in kept), tuple(w for _, w in kept))

    def table(self, scopes: Mapping[str, Counter[str]], dimensions: Sequence[Dimension]) -> Table:
        """Every scope's cells with their values, and every relation between them."""
        values: dict[Key, int] = {}
        relations: list[RelationKeys] = []
        for scope, counted in scopes.items():
            tally = Counter(counted)
            for cell, into in self.renamed.items():
                tally[into] += tally.pop(cell, 0)
            for cell in (*self.published, *self.hidden):
                values[(scope, cell)] = tally[cell]
            for numerator, denominator in self.rates:
                complement = _complement(numerator, denominator)
                values[(scope, complement)] = tally[denominator] - tally[numerator]
                relations.append(
                    RelationKeys((scope, denominator), ((scope, numerator), (scope, complement)))
                )
            relations += [
                RelationKeys((scope, r.total), tuple((scope, p) for p in r.parts), r.weights)
                for r in self.relations
            ]
        # A hidden cell that is the one unknown of a relation (a rate's complement, say)
        # follows from the published cells in every scope: its sum over the groups of a
        # breakdown is implied, and stating it would only tie every scope together.
        derived = {
            cell
            for r in (
                *self.relations,
                *(Relation(d, (n, _complement(n, d))) for n, d in self.rates),
            )
            for cell in (r.total, *r.parts)
            if cell not in self.published
            and sum(1 for c in (r.total, *r.parts) if c not in self.published) == 1
        }
        cells = sorted({cell for _, cell in values} - derived)
        for dim in dimensions:
            groups = [scope for scope in scopes if scope.startswith(f"{dim.name}=")]
            relations += [RelationKeys(("", c), tuple((g, c) for g in groups)) for c in cells]
        published = frozenset((scope, cell) for scope in scopes for cell in self.published)
        auxiliary = frozenset((scope, cell) for scope in scopes for cell in self.hidden)
        return Table(values, published, tuple(relations), auxiliary)


def _complement(numerator: str, denominator: str) -> str:
    """The never-published cell ``denominator − numerator`` of a rate."""
    return f"{denominator}-{numerator}"
