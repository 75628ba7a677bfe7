"""The report entry point: select, count, protect, assemble."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

from ..domain.journey import Journey
from ..domain.programme import Programme
from ..errors import NotFoundError
from .breakdowns import DIMENSIONS, Dimension
from .counting import POPULATION_CELLS, POPULATION_KEYS, CellCounts, population_cell, scope_of
from .definitions import (
    CountDef,
    Definition,
    IndicatorDef,
    IndicatorSet,
    RateDef,
    Relation,
    TitledSet,
)
from .disclosure import Key, Reason, RelationKeys, protect
from .facts import OutcomeFacts
from .provenance import library_version
from .reference import compute_facts
from .report import MASKED, SMALL, Figure, Group, Provenance, Rate, Report, Tally
from .selection import Basis
from .sets import builtin_sets
from .wilson import wilson

__all__ = ["compute_report", "resolve_sets"]

POPULATION_RELATION = Relation(population_cell("selected"), POPULATION_CELLS[1:])


def resolve_sets(names: Sequence[str], registry: Mapping[str, IndicatorSet]) -> list[IndicatorSet]:
    """The sets named, in order.

    :raises NotFoundError: naming the unknown set and the known ones.
    """
    found = []
    for name in names:
        if name not in registry:
            known = ", ".join(sorted(registry)) or "none"
            raise NotFoundError(f"unknown indicator set {name!r} (known sets: {known})")
        found.append(registry[name])
    return found


def _dimensions(by: Sequence[str]) -> list[Dimension]:
    for name in by:
        if name not in DIMENSIONS:
            known = ", ".join(DIMENSIONS)
            raise NotFoundError(f"unknown breakdown {name!r} (known breakdowns: {known})")
    return [DIMENSIONS[name] for name in dict.fromkeys(by)]


def compute_report(
    programme: Programme,
    data: Iterable[Journey | OutcomeFacts],
    as_of: dt.date,
    *,
    basis: Basis | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    sets: Sequence[str] | None = None,
    by: Sequence[str] = (),
    min_cell: int | None = None,
    indicator_sets: Mapping[str, IndicatorSet] | None = None,
    generated_at: dt.datetime,
) -> Report:
    """Compute a report from journeys (facts computed here) or from facts computed for ``as_of``.

    ``data`` is consumed once, as a stream. Defaults come from the programme:
    basis, sets and min_cell; ``end`` defaults to as_of and ``start`` to no bound.
    :param generated_at: the time stamped in the provenance; the engine reads no clock.
    :raises NotFoundError: an unknown set or breakdown.
    """
    chosen_basis: Basis = basis or programme.reporting.basis
    chosen = resolve_sets(
        sets if sets is not None else programme.reporting.sets,
        builtin_sets() if indicator_sets is None else indicator_sets,
    )
    dimensions = _dimensions(by)
    last = as_of if end is None else end
    counts = CellCounts(programme, chosen, dimensions, chosen_basis, start, last)
    for item in data:
        facts = compute_facts(programme, item, as_of) if isinstance(item, Journey) else item
        if facts is not None:
            counts.add(facts)

    declared = [(s, s.indicators(programme)) for s in chosen]
    indicators = [ind for _, inds in declared for ind in inds]
    relations = [POPULATION_RELATION, *(r for s in chosen for r in s.relations(programme))]
    published = _published_cells(indicators, relations)
    scopes = counts.scopes()
    values = {(scope, cell): tally[cell] for scope, tally in scopes.items() for cell in published}
    rates = [
        ((scope, ind.numerator), (scope, ind.denominator))
        for scope in scopes
        for ind in indicators
        if isinstance(ind, RateDef)
    ]
    keyed = _relation_keys(scopes, relations, dimensions, counts, published)
    k = programme.reporting.min_cell if min_cell is None else min_cell
    hidden = protect(values, rates, keyed, k)

    def assemble(scope: str) -> Group:
        return _group(scope, values, hidden, indicators)

    whole = assemble("")
    breakdowns = {
        dim.name: {g: assemble(scope_of(dim.name, g)) for g in counts.group_names(dim)}
        for dim in dimensions
    }
    return Report(
        programme=programme.id,
        as_of=as_of,
        basis=chosen_basis,
        start=start if start is not None else counts.earliest,
        end=last,
        population=whole.population,
        indicators=whole.indicators,
        breakdowns=breakdowns,
        provenance=Provenance(
            generated_at=generated_at.isoformat(timespec="seconds"),
            library_version=library_version(),
            definitions_version={s.name: s.definitions_version for s in chosen},
            data_sha256=counts.digest.hexdigest(),
        ),
        locale=programme.locale,
        min_cell=k,
        programme_name=programme.name,
        definitions=_definitions(indicators),
        sets={s.name: tuple(ind.id for ind in inds) for s, inds in declared},
        set_titles=_titles(chosen, programme.locale),
    )


def _titles(chosen: Sequence[IndicatorSet], locale: str) -> dict[str, str]:
    """The titles of the sets that offer the optional ``title(locale)`` (:class:`TitledSet`)."""
    return {s.name: s.title(locale) for s in chosen if isinstance(s, TitledSet)}


def _published_cells(
    indicators: Sequence[IndicatorDef], relations: Sequence[Relation]
) -> list[str]:
    cells: dict[str, None] = dict.fromkeys(POPULATION_CELLS)
    for ind in indicators:
        if isinstance(ind, RateDef):
            cells.update(dict.fromkeys((ind.numerator, ind.denominator)))
        else:
            cells.update(dict.fromkeys((ind.cell, *ind.gender_cells)))
    for relation in relations:
        cells.update(dict.fromkeys((relation.total, *relation.parts)))
    return list(cells)


def _relation_keys(
    scopes: Mapping[str, object],
    relations: Sequence[Relation],
    dimensions: Sequence[Dimension],
    counts: CellCounts,
    published: Sequence[str],
) -> list[RelationKeys]:
    keyed = [
        RelationKeys((scope, r.total), tuple((scope, part) for part in r.parts), r.hide_total_first)
        for scope in scopes
        for r in relations
    ]
    for dim in dimensions:
        groups = [scope_of(dim.name, g) for g in counts.group_names(dim)]
        keyed += [RelationKeys(("", cell), tuple((g, cell) for g in groups)) for cell in published]
    return keyed


def _figure(key: Key, values: Mapping[Key, int], hidden: Mapping[Key, Reason]) -> Figure:
    reason = hidden.get(key)
    if reason is None:
        return values[key]
    return SMALL if reason == "small" else MASKED


def _rate(num: Key, den: Key, values: Mapping[Key, int], hidden: Mapping[Key, Reason]) -> Rate:
    denominator = _figure(den, values, hidden)
    if num in hidden or den in hidden:
        return Rate(_figure(num, values, hidden), denominator, None, None, True)
    n, d = values[num], values[den]
    return Rate(n, d, n / d if d else None, wilson(n, d), False)


def _group(
    scope: str,
    values: Mapping[Key, int],
    hidden: Mapping[Key, Reason],
    indicators: Sequence[IndicatorDef],
) -> Group:
    population = {
        key: _figure((scope, population_cell(key)), values, hidden) for key in POPULATION_KEYS
    }
    found: dict[str, Rate | Tally] = {}
    for ind in indicators:
        if isinstance(ind, RateDef):
            found[ind.id] = _rate((scope, ind.numerator), (scope, ind.denominator), values, hidden)
        else:
            found[ind.id] = _tally(scope, ind, values, hidden)
    return Group(population, found)


def _tally(
    scope: str, ind: CountDef, values: Mapping[Key, int], hidden: Mapping[Key, Reason]
) -> Tally:
    by_gender = {
        cell.rsplit(".", 1)[1]: _figure((scope, cell), values, hidden) for cell in ind.gender_cells
    }
    return Tally(_figure((scope, ind.cell), values, hidden), by_gender)


def _definitions(indicators: Sequence[IndicatorDef]) -> dict[str, Definition]:
    return {ind.id: ind.definition for ind in indicators}
