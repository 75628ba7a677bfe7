"""Stored facts: each participant's settled outcome facts kept as a row, written with the data.

docs/architecture.md, Stored facts. A participant's outcome facts stop
depending on ``as_of`` once every window they look at has closed (their
``settled_on`` day); from then on they are one row of ``participant_facts``.
:func:`store_written_facts` writes the rows of the journeys a unit of work
saves, in the same transaction, from the journeys in memory
(:func:`~insertion_core.outcomes.settled.settled_facts`); :func:`store_facts`
derives them from the stored data instead (programme changes, migrations);
:func:`settled_groups` counts the rows settled by a report's as_of with
``GROUP BY`` queries: one shared by the parts grouped on few values, one for
each other part.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import functools
import hashlib
import operator
import struct
import typing
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeVar

import attrs
from sqlalchemy import ColumnElement, Select, Table, delete, extract, func, insert, select
from sqlalchemy.orm import Session

from ...domain.calendar import add_months
from ...domain.codes import EducationLevel, Gender, StatusAtEntry
from ...domain.journey import Journey
from ...domain.programme import FollowUpPolicy, Programme
from ...domain.situations import Situation
from ...outcomes import rules
from ...outcomes.engine import KNOWN_FIELDS
from ...outcomes.facts import CheckinFact, CheckinStatus, DynamicExit, OutcomeFacts, Population
from ...outcomes.groups import (
    CHUNK_BITS,
    CHUNKS,
    POPULATION_PART,
    TIMES_PART,
    FactsGroup,
    GroupPart,
    digest_total,
)
from ...outcomes.selection import Basis
from ...outcomes.settled import settled_facts
from ...outcomes.time_to_outcome import leaver_time
from .facts import SqlOutcomeFacts
from .tables import metadata
from .unindexed import unindexed

__all__ = [
    "COMBINED_GROUPS",
    "SETTLED_AS_OF",
    "STORED_COLUMNS",
    "UNSTORED_FIELDS",
    "settled_groups",
    "settled_on",
    "store_facts",
    "store_programme_facts",
    "store_written_facts",
    "stored_fact",
]

T = TypeVar("T")
_PARTICIPANTS = metadata.tables["participants"]
_FACTS = metadata.tables["participant_facts"]

#: The day facts are computed on before storing: later than any settled_on.
SETTLED_AS_OF = dt.date(9999, 12, 31)
#: Participants per statement when storing.
_CHUNK = 500
_HASHES = tuple(f"h{i}" for i in range(CHUNKS))
_ENUMS: dict[str, type[enum.Enum]] = {
    "population": Population,
    "dynamic_exit": DynamicExit,
    "gender": Gender,
    "education_level": EducationLevel,
    "status_at_entry": StatusAtEntry,
}
#: The columns of each fact field: its own name, except these.
STORED_COLUMNS: dict[str, tuple[str, ...]] = {"first_positive": ("first_family", "first_sector")}
#: Fact fields declared not storable (none today): while any is, reports count fact by fact.
UNSTORED_FIELDS: frozenset[str] = frozenset()
#: The grouping keys that are the year of a date, not a field.
_YEARS = {"entry_year": "entry_date", "exit_year": "exit_date"}


def settled_on(programme: Programme, facts: OutcomeFacts) -> dt.date:
    """The first day from which the participant's facts no longer change with as_of.

    ``facts`` are computed on a day later than any window (:data:`SETTLED_AS_OF`).
    Without an exit: the entry date. Neutralised: the exit date. Otherwise the
    last day a window the facts read closes: the follow-up window (outcome,
    time to outcome), the ESF+ upon-leaving and six-month ranges, and each
    check-in's late range (and the day after its grace, when it counts as assessed).
    """
    exit_date = facts.exit_date
    if exit_date is None:
        return facts.entry_date
    if facts.population is Population.NEUTRALISED:
        return exit_date
    return _windows_closed(programme.followup, exit_date)


@functools.lru_cache(maxsize=8192)
def _windows_closed(followup: FollowUpPolicy, exit_date: dt.date) -> dt.date:
    """The last day a window after an exit on ``exit_date`` closes (see :func:`settled_on`);
    remembered, as many participants of a batch leave on the same day."""
    days = [
        add_months(exit_date, followup.months),
        exit_date + dt.timedelta(days=rules.ESF_UPON_LEAVING_DAYS),
        add_months(exit_date, rules.ESF_LONG_TERM_MONTHS)
        + dt.timedelta(days=rules.ESF_SIX_MONTHS_TOLERANCE),
    ]
    for months in followup.checkpoints:
        due = add_months(exit_date, months)
        days.append(due + dt.timedelta(days=followup.grace_days + 1))
        days.append(due + dt.timedelta(days=followup.grace_days + followup.overdue_days))
    return max(days)


#: Every fact field's name, and a reader of their values in that order.
_FIELDS = tuple(field.name for field in attrs.fields(OutcomeFacts))
_VALUES = operator.attrgetter(*_FIELDS)
#: A SHA-256 digest as its eight 32-bit chunks, most significant first.
_CHUNKS = struct.Struct(">" + {16: "H", 32: "I", 64: "Q"}[CHUNK_BITS] * CHUNKS)


def _enum_fields() -> tuple[str, ...]:
    """The fact fields whose type is an enum (or an optional one): stored as their value."""
    hints = typing.get_type_hints(OutcomeFacts)
    return tuple(
        name
        for name in _FIELDS
        if any(
            isinstance(kind, type) and issubclass(kind, enum.Enum)
            for kind in (hints[name], *typing.get_args(hints[name]))
        )
    )


_ENUM_FIELDS = _enum_fields()
#: The stored columns of the fact fields, in the fields' order.
_COLUMNS = tuple(column for name in _FIELDS for column in STORED_COLUMNS.get(name, (name,)))


def _column_values(facts: OutcomeFacts) -> dict[str, Any]:
    """Every fact field as its stored column(s)."""
    values: dict[str, Any] = dict(zip(_FIELDS, _VALUES(facts), strict=True))
    for name in _ENUM_FIELDS:
        value = values[name]
        if value is not None:
            values[name] = value._value_  # the value, without the property's descriptor call
    first = values["first_positive"]
    values["first_family"] = None if first is None else first.family
    values["first_sector"] = None if first is None else first.sector._value_
    values["checkins"] = ";".join([_checkin_text(c) for c in values["checkins"]])
    # In the table's order: the bulk insert takes the driver's path only when the keys are.
    return {column: values[column] for column in _COLUMNS}


def _row(programme: Programme, ref: int, facts: OutcomeFacts) -> dict[str, Any]:
    digest = hashlib.sha256(facts.canonical().encode("utf-8")).digest()
    day = settled_on(programme, facts)
    leaver = leaver_time(facts, programme.followup.months, max(day, facts.entry_date))
    row: dict[str, Any] = {
        "participant_ref": ref,
        "programme_id": programme.id,
        "settled_on": day,
        **_column_values(facts),
        "leaver_days": None if leaver is None else leaver[0],
        "leaver_event": None if leaver is None else leaver[1],
    }
    row.update(zip(_HASHES, _CHUNKS.unpack(digest), strict=True))
    return row


def _checkin_text(checkin: CheckinFact) -> str:
    reached, assessed = int(checkin.reached), int(checkin.assessed)
    return f"{checkin.checkpoint_months}:{checkin.status._value_}:{reached}:{assessed}"


def _checkins_of(text: str) -> tuple[CheckinFact, ...]:
    found = []
    for item in text.split(";") if text else ():
        months, status, reached, assessed = item.split(":")
        found.append(
            CheckinFact(int(months), CheckinStatus(status), reached == "1", assessed == "1")
        )
    return tuple(found)


def store_written_facts(
    programme: Programme,
    written: Iterable[tuple[int, Journey]],
    insert_rows: Callable[[Table, list[dict[str, Any]]], None],
) -> None:
    """Store the facts of journeys just written, each with its new row id; the write path.

    Call it in the writing transaction, after the participants' rows. The
    facts come from the journeys in memory (their settled facts, equal to the
    reference engine's by construction and by test), so nothing is read back;
    the rows go in with ``insert_rows`` (the journey repository's ``COPY`` or
    driver executemany). A participant row just inserted has no stored facts
    (the row it replaced took them along, ``ON DELETE CASCADE``): no ``DELETE``.
    """
    rows = [_row(programme, ref, settled_facts(programme, journey)) for ref, journey in written]
    if rows:
        insert_rows(_FACTS, rows)


def store_facts(
    session: Session,
    programme: Programme,
    participant_refs: Sequence[int],
) -> None:
    """Rewrite the stored facts of the participants with these row ids, from the stored data.

    For participants whose journeys are not in memory (a programme whose
    rules changed, a migration). Per chunk of participants: one ``DELETE``,
    the pushed-down facts query and one multi-row ``INSERT``.
    """
    facts = SqlOutcomeFacts(session, _CHUNK)
    for first in range(0, len(participant_refs), _CHUNK):
        chunk = list(participant_refs[first : first + _CHUNK])
        session.execute(delete(_FACTS).where(_FACTS.c.participant_ref.in_(chunk)))
        rows = [
            _row(programme, ref, found)
            for ref, found in facts.of_refs(programme, SETTLED_AS_OF, chunk)
        ]
        if rows:
            session.execute(insert(_FACTS), rows)


def store_programme_facts(session: Session, programme: Programme) -> None:
    """Rewrite the stored facts of every participant of the programme (its text changed)."""
    session.execute(delete(_FACTS).where(_FACTS.c.programme_id == programme.id))
    refs = list(
        session.scalars(
            select(_PARTICIPANTS.c.id).where(_PARTICIPANTS.c.programme_id == programme.id)
        )
    )
    store_facts(session, programme, refs)


def _key_columns(fields: Sequence[str]) -> list[ColumnElement[Any]]:
    """The grouping expressions of a part's fields, each labelled with its column or key name."""
    found: dict[str, ColumnElement[Any]] = {}
    for field in fields:
        if field in _YEARS:
            found[field] = extract("year", _FACTS.c[_YEARS[field]]).label(field)
            continue
        for name in STORED_COLUMNS.get(field, (field,)):
            found[name] = _FACTS.c[name]
    return list(found.values())


#: The most groups the combined scan of several parts may return; beyond, one query per part.
COMBINED_GROUPS = 20_000
#: Fields with many values (ages, days, texts, ids): a part grouping on one beyond the
#: population part's fields is not combined, its groups would multiply the others'.
_MANY_VALUES = frozenset(
    {"age_at_entry", "days_to_positive", "checkins", "participant_id", "cohort_id"}
    | {"entry_date", "exit_date"}
)


def settled_groups(
    session: Session,
    programme: Programme,
    as_of: dt.date,
    selection: tuple[Basis, dt.date | None, dt.date],
    parts: Sequence[GroupPart],
    combined_limit: int = COMBINED_GROUPS,
) -> Iterator[FactsGroup]:
    """The stored facts settled by as_of and selected on basis and period, in groups.

    The population part, the time-to-outcome part and the sets grouped on few
    more fields are counted by one aggregate query grouped on all their
    fields (:func:`_combinable`), each part's groups summed from its rows: one
    scan instead of one per part. When that query has more than
    ``combined_limit`` groups, and for the other parts, one aggregate query
    per part, grouped on that part's fields only. The population part also
    gives the earliest date, the completeness counts and the hash chunk sums;
    the time-to-outcome part groups the leavers on their time. A part without
    fields reads one row per participant.
    """
    basis, start, end = selection
    day = _FACTS.c.entry_date if basis == "entry" else _FACTS.c.exit_date
    scanned = unindexed(session.get_bind().dialect.name)
    conditions: list[ColumnElement[bool]] = [
        scanned(_FACTS.c.programme_id) == programme.id,
        scanned(_FACTS.c.settled_on) <= as_of,
        day.is_not(None),
        day <= end,
    ]
    if start is not None:
        conditions.append(day >= start)
    combined = _combinable(parts)
    rows = _combined_rows(session, combined, day, conditions, combined_limit)
    if rows is None:
        combined = []
    else:
        for part in combined:
            for row in _part_rows(part, rows):
                yield _group(part.part, row, selection)
    for part in parts:
        if part in combined:
            continue
        if part.fields is None:
            every = [c for c in _FACTS.c if c.name in _FIELD_COLUMNS]
            query = select(*every).where(*conditions)
            for row in _dicts(session, query):
                yield FactsGroup(part.part, stored_fact(row), 1, basis, start, end)
            continue
        keys = _part_keys(part)
        where = list(conditions)
        if part.part == TIMES_PART:
            where.append(_FACTS.c.leaver_days.is_not(None))
        extra = _population_sums(day) if part.part == POPULATION_PART else []
        query = select(*keys, func.count().label("n"), *extra).where(*where).group_by(*keys)
        for row in _dicts(session, query):
            yield _group(part.part, row, selection)


def _part_keys(part: GroupPart) -> list[ColumnElement[Any]]:
    """What a grouped part's query groups on: its fields, and the leaver's time for that part."""
    keys = _key_columns(part.fields or ())
    if part.part == TIMES_PART:
        keys += [_FACTS.c.leaver_days, _FACTS.c.leaver_event]
    return keys


def _population_sums(day: ColumnElement[Any]) -> list[ColumnElement[Any]]:
    """The population part's aggregates beside its count: earliest day, completeness, hashes."""
    return [
        func.min(day).label("earliest"),
        *(func.count(_FACTS.c[_KNOWN_COLUMNS[f]]).label(f"known_{f}") for f in KNOWN_FIELDS),
        *(func.sum(_FACTS.c[name]).label(name) for name in _HASHES),
    ]


def _combinable(parts: Sequence[GroupPart]) -> list[GroupPart]:
    """The parts counted by one combined query: the population part, and the grouped parts
    that group on no field with many values beyond the population part's fields; none
    when fewer than two."""
    population = next((p for p in parts if p.part == POPULATION_PART), None)
    if population is None or population.fields is None:
        return []
    shared = set(population.fields)
    found = [
        part
        for part in parts
        if part.fields is not None and not (set(part.fields) - shared) & _MANY_VALUES
    ]
    return found if len(found) > 1 else []


def _combined_rows(
    session: Session,
    parts: Sequence[GroupPart],
    day: ColumnElement[Any],
    conditions: Sequence[ColumnElement[bool]],
    limit: int,
) -> list[dict[str, Any]] | None:
    """The rows of the query grouped on every field of these parts; None when there are
    none to combine or more than ``limit`` groups (then each part is queried alone)."""
    if not parts or limit < 1:
        return None
    keys = list({c.name: c for part in parts for c in _part_keys(part)}.values())
    query = (
        select(*keys, func.count().label("n"), *_population_sums(day))
        .where(*conditions)
        .group_by(*keys)
        .limit(limit + 1)
    )
    with _hash_memory(session):
        rows = list(_dicts(session, query))
    return rows if len(rows) <= limit else None


#: PostgreSQL's working memory for the combined query: its planner guesses the groups from
#: each field's distinct values (over 100 000 where 1 300 are found at 10^6 participants),
#: and under the default 4 MB it sorts every row on disk instead of hashing them. The hash
#: tables hold the groups found (a few MB up to :data:`COMBINED_GROUPS`), not the guess.
_COMBINED_WORK_MEM = "64MB"


@contextlib.contextmanager
def _hash_memory(session: Session) -> Iterator[None]:
    """On PostgreSQL, :data:`_COMBINED_WORK_MEM` of working memory for one query of this
    transaction (``set_config`` local to it), then the setting it had."""
    if session.get_bind().dialect.name != "postgresql":
        yield
        return
    before = session.scalar(select(func.current_setting("work_mem")))
    session.execute(select(func.set_config("work_mem", _COMBINED_WORK_MEM, True)))
    try:
        yield
    finally:
        session.execute(select(func.set_config("work_mem", before, True)))


def _part_rows(part: GroupPart, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """A part's aggregate rows summed from the combined query's rows, as its own query gives.

    The count (and, in the population part, the completeness counts and hash
    sums) add up, the earliest day is the least; the time-to-outcome part
    keeps the leavers only.
    """
    names = [c.name for c in _part_keys(part)]
    sums = ["n"]
    if part.part == POPULATION_PART:
        sums += [f"known_{f}" for f in KNOWN_FIELDS] + list(_HASHES)
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        if part.part == TIMES_PART and row["leaver_days"] is None:
            continue
        key = tuple(row[name] for name in names)
        group = found.get(key)
        if group is None:
            found[key] = {name: row[name] for name in names} | {name: row[name] for name in sums}
            if part.part == POPULATION_PART:
                found[key]["earliest"] = row["earliest"]
            continue
        for name in sums:
            group[name] += row[name]
        if part.part == POPULATION_PART:
            group["earliest"] = min(group["earliest"], row["earliest"])
    return list(found.values())


def _dicts(session: Session, query: Select[Any]) -> Iterator[dict[str, Any]]:
    """The query's rows as plain dicts: a part may have thousands of groups (ESF+ groups on
    age and education), and :func:`stored_fact` asks each row for every field, which a
    dict answers several times faster than a SQLAlchemy row mapping."""
    result = session.execute(query)
    keys = list(result.keys())
    for values in result:
        yield dict(zip(keys, values, strict=True))


def _group(
    part: str, row: Mapping[Any, Any], selection: tuple[Basis, dt.date | None, dt.date]
) -> FactsGroup:
    """One row of a part's aggregate query as a group."""
    basis, start, end = selection
    facts = stored_fact(row)
    if part == POPULATION_PART:
        return FactsGroup(
            part,
            facts,
            int(row["n"]),
            basis,
            start,
            end,
            total=digest_total([int(row[name]) for name in _HASHES]),
            earliest=row["earliest"],
            known=tuple(int(row[f"known_{f}"]) for f in KNOWN_FIELDS),
        )
    leaver = None
    if part == TIMES_PART:
        leaver = (int(row["leaver_days"]), bool(row["leaver_event"]))
    return FactsGroup(part, facts, int(row["n"]), basis, start, end, leaver=leaver)


#: The stored column of each completeness count.
_KNOWN_COLUMNS = {"birth_date": "age_at_entry"} | {f: f for f in KNOWN_FIELDS[1:]}


def _enum_decoder(kind: type[enum.Enum]) -> Callable[[Any], Any]:
    return lambda value: None if value is None else kind(value)


def _decoders() -> dict[str, Callable[[Any], Any]]:
    """How each stored column (by field name) reads back into its fact field."""
    found: dict[str, Callable[[Any], Any]] = {}
    for field in attrs.fields(OutcomeFacts):
        kind = _ENUMS.get(field.name)
        if kind is not None:
            found[field.name] = _enum_decoder(kind)
        elif field.type in (bool, "bool"):
            found[field.name] = bool
        elif field.type in ("bool | None",):
            found[field.name] = lambda v: None if v is None else bool(v)
        elif field.type in ("int | None",):
            found[field.name] = lambda v: None if v is None else int(v)
        else:
            found[field.name] = lambda v: v
    found["checkins"] = _checkins_of
    return found


_DECODE = _decoders()
#: The stored columns that hold fact fields.
_FIELD_COLUMNS = frozenset(
    name for f in attrs.fields(OutcomeFacts) for name in STORED_COLUMNS.get(f.name, (f.name,))
)


def stored_fact(row: Mapping[Any, Any]) -> OutcomeFacts:
    """The fact of a stored row, or one standing for a group: defaults for the fields absent.

    A group's fact has no participant id; ``entry_year`` / ``exit_year`` keys
    give the first of January of that year as the date.
    """
    values: dict[str, Any] = {
        "participant_id": "",
        "cohort_id": "",
        "entry_date": dt.date.min,
        "exit_date": None,
    }
    for key, field in _YEARS.items():
        if row.get(key) is not None:
            values[field] = dt.date(int(row[key]), 1, 1)
    for name, decode in _DECODE.items():
        if name in row:
            values[name] = decode(row[name])
    family = row.get("first_family")
    if family is not None:
        values["first_positive"] = Situation(family, str(row["first_sector"]))
    return OutcomeFacts(**values)
