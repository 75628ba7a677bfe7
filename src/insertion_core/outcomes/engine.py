"""The report entry point: select, count, protect, assemble.

Counting is exact. For a public report, disclosure control then takes the
whole table (every scope, every relation: :mod:`.report_table`) and decides
what is withheld: the headline first, the breakdowns given the headline.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TypeVar

from ..domain.journey import Journey
from ..domain.programme import Programme
from ..errors import NotFoundError
from .breakdowns import DIMENSIONS, YEAR, Dimension, year_dimension
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
from .disclosure import Key, Status
from .facts import OutcomeFacts
from .groups import POPULATION_PART, TIMES_PART, FactsGroup, GroupPart, group_parts
from .provenance import definitions_fingerprint, library_version
from .reference import compute_facts
from .report import (
    MASKED,
    SMALL,
    Audience,
    Figure,
    Group,
    Merge,
    Provenance,
    Rate,
    Report,
    Tally,
)
from .report_table import ReportCells, protect_report
from .selection import Basis
from .sets import builtin_sets
from .targets import target_results
from .time_to_outcome import LeaverTimes, kaplan_meier
from .time_to_outcome_public import (
    GRID_CELLS,
    GRID_RELATIONS,
    PublicTimeToOutcome,
    PublicTimeToOutcomeReport,
    grid_counts,
    public_estimate,
)
from .trends import year_trends
from .wilson import wilson

__all__ = ["KNOWN_FIELDS", "compute_report", "report_parts", "resolve_sets"]

T = TypeVar("T")

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


def _dimensions(by: Sequence[str], basis: Basis) -> list[Dimension]:
    known = {**DIMENSIONS, YEAR: year_dimension(basis)}
    for name in by:
        if name not in known:
            raise NotFoundError(
                f"unknown breakdown {name!r} (known breakdowns: {', '.join(known)})"
            )
    return [known[name] for name in dict.fromkeys(by)]


def report_parts(
    programme: Programme,
    basis: Basis | None,
    sets: Sequence[str] | None,
    by: Sequence[str],
    indicator_sets: Mapping[str, IndicatorSet],
) -> list[GroupPart]:
    """The grouped parts of this report (:mod:`~insertion_core.outcomes.groups`).

    :raises NotFoundError: an unknown set or breakdown.
    """
    chosen = resolve_sets(sets if sets is not None else programme.reporting.sets, indicator_sets)
    return group_parts(chosen, _dimensions(by, basis or programme.reporting.basis))


def compute_report(
    programme: Programme,
    data: Iterable[Journey | OutcomeFacts | FactsGroup],
    as_of: dt.date,
    *,
    basis: Basis | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    sets: Sequence[str] | None = None,
    by: Sequence[str] = (),
    min_cell: int | None = None,
    audience: Audience | None = None,
    indicator_sets: Mapping[str, IndicatorSet] | None = None,
    generated_at: dt.datetime,
) -> Report:
    """Compute a report from journeys (facts computed here), facts computed for ``as_of``,
    or groups of stored facts a storage selected for the same basis and period.

    ``data`` is consumed once, as a stream. Defaults come from the programme:
    basis, sets, audience and min_cell (k of a public report; 0 makes any
    report internal); ``end`` defaults to as_of and ``start`` to no bound.
    :param generated_at: the time stamped in the provenance; the engine reads no clock.
    :raises NotFoundError: an unknown set or breakdown.
    :raises DisclosureError: a public report that cannot be protected.
    """
    chosen_basis: Basis = basis or programme.reporting.basis
    chosen = resolve_sets(
        sets if sets is not None else programme.reporting.sets,
        builtin_sets() if indicator_sets is None else indicator_sets,
    )
    dimensions = _dimensions(by, chosen_basis)
    last = as_of if end is None else end
    k = programme.reporting.min_cell if min_cell is None else min_cell
    public = (audience or programme.reporting.audience) == "public" and k > 0
    counts = CellCounts(programme, chosen, dimensions, chosen_basis, start, last)
    times = LeaverTimes(programme.followup.months, as_of, dimensions)
    known: Counter[str] = Counter()
    for item in data:
        if isinstance(item, FactsGroup):
            _add_group(item, counts, times, known)
            continue
        facts = compute_facts(programme, item, as_of) if isinstance(item, Journey) else item
        if facts is not None and counts.add(facts):
            times.add(facts)
            known.update(_known_fields(facts))

    declared = [(s, s.indicators(programme)) for s in chosen]
    indicators = [ind for _, inds in declared for ind in inds]
    relations = [POPULATION_RELATION, *(r for s in chosen for r in s.relations(programme))]
    merged = _merges(counts, k) if public else ()
    if public:  # the time-to-outcome grid counts are disclosed like any count
        relations += GRID_RELATIONS
    cells = ReportCells(indicators, relations, merged, GRID_CELLS if public else ())
    leaver_times = _merge_scopes(_leaver_scopes(times), merged)
    scopes = _merge_scopes(counts.scopes(), merged)
    if public:
        scopes = {
            scope: tally + grid_counts(leaver_times.get(scope, Counter()))
            for scope, tally in scopes.items()
        }
    table = cells.table(scopes, dimensions)
    shown: Status = "shown"
    status, withheld_breakdowns = (
        protect_report(table, k, dimensions)
        if public
        else (dict.fromkeys(table.published, shown), ())
    )

    def assemble(scope: str) -> Group:
        return _group(scope, table.values, status, indicators, merged)

    whole = assemble("")
    breakdowns = {
        dim.name: {
            group: assemble(scope_of(dim.name, group))
            for group in counts.group_names(dim)
            if scope_of(dim.name, group) in scopes
        }
        for dim in dimensions
        if dim.name not in withheld_breakdowns
    }
    first = start if start is not None else counts.earliest
    chosen_audience: Audience = "public" if public else "internal"
    versions = {s.name: s.definitions_version for s in chosen}
    parameters = _parameters(
        programme, chosen_basis, first, last, as_of, chosen_audience, k, versions
    )
    return Report(
        programme=programme.id,
        as_of=as_of,
        basis=chosen_basis,
        start=first,
        end=last,
        population=whole.population,
        indicators=whole.indicators,
        breakdowns=breakdowns,
        provenance=Provenance(
            generated_at=generated_at.isoformat(timespec="seconds"),
            library_version=library_version(),
            definitions_version=versions,
            data_sha256=counts.digest.hexdigest(),
            parameters=parameters,
            definitions_fingerprint=definitions_fingerprint(parameters),
        ),
        audience=chosen_audience,
        merged=merged,
        withheld_breakdowns=withheld_breakdowns,
        locale=programme.locale,
        min_cell=k if public else 0,
        programme_name=programme.name,
        definitions=_definitions(indicators),
        sets={s.name: tuple(ind.id for ind in inds) for s, inds in declared},
        set_titles=_titles(chosen, programme.locale),
        trends=year_trends(breakdowns.get(YEAR, {})),
        targets=target_results(programme.targets, whole.indicators),
        time_to_outcome=(
            _public_times(leaver_times, breakdowns, table.values, status)
            if public
            else times.estimates()
        ),
        completeness={} if public else {field: known[field] for field in KNOWN_FIELDS},
    )


#: The optional fields whose completeness an internal report gives.
KNOWN_FIELDS = ("birth_date", "gender", "education_level", "qpv", "status_at_entry")


def _add_group(
    group: FactsGroup, counts: CellCounts, times: LeaverTimes, known: Counter[str]
) -> None:
    """Count one group of stored facts: leaver times for its part, else cells (and completeness)."""
    if group.part == TIMES_PART:
        if group.leaver is None:
            raise ValueError("a group of the time-to-outcome part without its leaver time")
        times.add_count(group.facts, group.leaver, group.count)
        return
    counts.add_group(group)
    if group.part == POPULATION_PART:
        known.update(dict(zip(KNOWN_FIELDS, group.known, strict=True)))


def _known_fields(facts: OutcomeFacts) -> Iterator[str]:
    """The optional fields known for this participant."""
    values = (
        facts.age_at_entry,
        facts.gender,
        facts.education_level,
        facts.qpv,
        facts.status_at_entry,
    )
    return (field for field, value in zip(KNOWN_FIELDS, values, strict=True) if value is not None)


def _parameters(
    programme: Programme,
    basis: Basis,
    start: dt.date | None,
    end: dt.date,
    as_of: dt.date,
    audience: Audience,
    k: int,
    versions: Mapping[str, str],
) -> dict[str, object]:
    """Every parameter that changes what a figure means (hashed into the fingerprint)."""
    return {
        "basis": basis,
        "period": [start.isoformat() if start else None, end.isoformat()],
        "as_of": as_of.isoformat(),
        "followup_months": programme.followup.months,
        "positive_families": list(programme.outcomes.positive),
        "checkpoints": list(programme.followup.checkpoints),
        "audience": audience,
        "min_cell": k if audience == "public" else 0,
        "sets": dict(versions),
    }


def _merges(counts: CellCounts, k: int) -> tuple[Merge, ...]:
    """Gender X joins ``unknown`` when it holds 1 to k−1 persons."""
    return (Merge("gender", "X", "unknown"),) if 0 < counts.genders["X"] < k else ()


def _leaver_scopes(times: LeaverTimes) -> dict[str, Counter[tuple[int, bool]]]:
    """The leavers' count per ``(t, event)`` of every scope, keyed like the table."""
    found = {"": times.whole}
    for dim, groups in times.groups.items():
        found.update({scope_of(dim, group): tally for group, tally in groups.items()})
    return found


def _public_times(
    leaver_times: Mapping[str, Counter[tuple[int, bool]]],
    breakdowns: Mapping[str, Mapping[str, Group]],
    values: Mapping[Key, int],
    status: Mapping[Key, Status],
) -> PublicTimeToOutcomeReport:
    """The public time-to-outcome figures of the headline and of every published group."""

    def estimate(scope: str) -> PublicTimeToOutcome:
        return public_estimate(
            scope, kaplan_meier(leaver_times.get(scope, Counter())), values, status
        )

    return PublicTimeToOutcomeReport(
        estimate(""),
        {
            dim: {group: estimate(scope_of(dim, group)) for group in groups}
            for dim, groups in breakdowns.items()
        },
    )


def _merge_scopes(
    scopes: Mapping[str, Counter[T]], merged: Sequence[Merge]
) -> dict[str, Counter[T]]:
    """Each merged group's counts added into the group it joins, and its scope gone."""
    found = dict(scopes)
    for merge in merged:
        gone = found.pop(scope_of(merge.dimension, merge.group), None)
        if gone is not None:
            into = scope_of(merge.dimension, merge.into)
            found[into] = found.get(into, Counter[T]()) + gone
    return found


def _titles(chosen: Sequence[IndicatorSet], locale: str) -> dict[str, str]:
    """The titles of the sets that offer the optional ``title(locale)`` (:class:`TitledSet`)."""
    return {s.name: s.title(locale) for s in chosen if isinstance(s, TitledSet)}


def _figure(key: Key, values: Mapping[Key, int], status: Mapping[Key, Status]) -> Figure:
    found = status[key]
    if found == "shown":
        return values[key]
    return SMALL if found == "small" else MASKED


def _rate(num: Key, den: Key, values: Mapping[Key, int], status: Mapping[Key, Status]) -> Rate:
    numerator, denominator = _figure(num, values, status), _figure(den, values, status)
    if not isinstance(numerator, int) or not isinstance(denominator, int):
        return Rate(numerator, denominator, None, None, True)
    return Rate(
        numerator,
        denominator,
        numerator / denominator if denominator else None,
        wilson(numerator, denominator),
        False,
    )


def _group(
    scope: str,
    values: Mapping[Key, int],
    status: Mapping[Key, Status],
    indicators: Sequence[IndicatorDef],
    merged: Sequence[Merge],
) -> Group:
    population = {
        key: _figure((scope, population_cell(key)), values, status) for key in POPULATION_KEYS
    }
    found: dict[str, Rate | Tally] = {}
    for ind in indicators:
        if isinstance(ind, RateDef):
            found[ind.id] = _rate((scope, ind.numerator), (scope, ind.denominator), values, status)
        else:
            found[ind.id] = _tally(scope, ind, values, status, merged)
    return Group(population, found)


def _tally(
    scope: str,
    ind: CountDef,
    values: Mapping[Key, int],
    status: Mapping[Key, Status],
    merged: Sequence[Merge],
) -> Tally:
    gone = {m.group for m in merged if m.dimension == "gender"}
    by_gender = {
        cell.rsplit(".", 1)[1]: _figure((scope, cell), values, status)
        for cell in ind.gender_cells
        if cell.rsplit(".", 1)[1] not in gone
    }
    return Tally(_figure((scope, ind.cell), values, status), by_gender)


def _definitions(indicators: Sequence[IndicatorDef]) -> dict[str, Definition]:
    return {ind.id: ind.definition for ind in indicators}
