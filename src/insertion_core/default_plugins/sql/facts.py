"""Outcome facts pushed down to SQL: the per-participant work done where the data lives.

The same :class:`~insertion_core.outcomes.facts.OutcomeFacts` as the reference
implementation (:mod:`insertion_core.outcomes.reference`), without building a
journey. Participants are paged by id; for each page one query turns the exit
destination and the contacts into observations and aggregates them per
participant (first positive outcome, response, ESF+ flags, check-ins). Python
only decodes one aggregated row per participant, so memory stays bounded by
the page size whatever the number of contacts.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    bindparam,
    case,
    func,
    literal_column,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.orm import Session

from ...domain.calendar import age_on
from ...domain.codes import Contract, EducationLevel, ExitReason, Gender, StatusAtEntry
from ...domain.programme import Programme
from ...domain.situations import Sector, Situation
from ...outcomes.facts import CheckinFact, CheckinStatus, DynamicExit, OutcomeFacts, Population
from ...outcomes.reference import ESF_SIX_MONTHS_TOLERANCE, ESF_UPON_LEAVING_DAYS
from .dates import SqlDates
from .tables import metadata

__all__ = ["SqlOutcomeFacts"]

_PARTICIPANTS = metadata.tables["participants"]
_EXITS = metadata.tables["exits"]
_CONTACTS = metadata.tables["contacts"]

_DURABLE = [c.value for c in (Contract.CDI, Contract.SELF_EMPLOYED, Contract.APPRENTICESHIP)]
_TIMED = [c.value for c in (Contract.CDD, Contract.INTERIM)]
_UPON_LEAVING = ("job_search", "training", "employment")

_GENDER = {m.value: m for m in Gender}
_EDUCATION = {m.value: m for m in EducationLevel}
_STATUS = {m.value: m for m in StatusAtEntry}
_DYNAMIC = {m.value: m for m in DynamicExit}


def _dynamic_exit() -> ColumnElement[str]:
    """The IAE class of the exit, on its destination and contract alone (docs/indicators.md, Dynamic exits)."""
    family = func.lower(_EXITS.c.destination_family)
    contract = _EXITS.c.contract
    long_enough = and_(contract.in_(_TIMED), _EXITS.c.contract_months >= literal_column("6"))
    qualifying = _EXITS.c.qualifying
    return case(
        (
            and_(family == "employment", or_(contract.in_(_DURABLE), long_enough)),
            DynamicExit.DURABLE_EMPLOYMENT.value,
        ),
        (family == "employment", DynamicExit.TRANSITION_EMPLOYMENT.value),
        (
            and_(family == "training", or_(qualifying.is_(None), qualifying == true())),
            DynamicExit.POSITIVE_EXIT.value,
        ),
        else_=DynamicExit.OTHER.value,
    )


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """1 when some observation of the participant meets ``condition``, else 0."""
    return func.max(case((condition, 1), else_=0))


def exited_query(programme: Programme, as_of: dt.date, dialect: str) -> Select[Any]:
    """One aggregated row per participant of the ``refs`` bind whose exit is dated by as_of.

    Observations are the exit destination (``contact`` 0) and the contacts
    dated at most as_of (``contact`` 1), as in
    :func:`~insertion_core.outcomes.observations.observations`.
    """
    dates = SqlDates(dialect)
    followup = programme.followup
    exit_date = _EXITS.c.exit_date
    dues = [dates.add_months(exit_date, months) for months in followup.checkpoints]
    grace, late = followup.grace_days, followup.grace_days + followup.overdue_days
    checkin_bounds = [
        column
        for i, due in enumerate(dues)
        for column in (
            dates.add_days(due, -grace).label(f"due{i}_from"),
            dates.add_days(due, grace).label(f"due{i}_to"),
            dates.add_days(due, late).label(f"due{i}_late"),
        )
    ]
    exited = (
        select(
            _EXITS.c.participant_ref.label("ref"),
            exit_date,
            _EXITS.c.reason,
            func.lower(_EXITS.c.destination_family).label("family"),
            _EXITS.c.destination_sector.label("sector"),
            _dynamic_exit().label("dynamic_exit"),
            dates.add_months(exit_date, followup.months).label("window_end"),
            dates.add_days(exit_date, ESF_UPON_LEAVING_DAYS).label("l4_end"),
            dates.add_months(exit_date, 6).label("six_months"),
            *checkin_bounds,
        )
        .where(
            _EXITS.c.participant_ref.in_(bindparam("refs", expanding=True)),
            exit_date <= as_of,
        )
        .cte("exited")
    )
    destination = select(
        exited.c.ref,
        exited.c.exit_date.label("day"),
        exited.c.family,
        exited.c.sector,
        literal_column("0", Integer).label("contact"),
    )
    contacts = (
        select(
            exited.c.ref,
            _CONTACTS.c.contact_date,
            func.lower(_CONTACTS.c.situation_family),
            _CONTACTS.c.situation_sector,
            literal_column("1", Integer),
        )
        .join_from(exited, _CONTACTS, _CONTACTS.c.participant_ref == exited.c.ref)
        .where(_CONTACTS.c.contact_date <= as_of)
    )
    obs = union_all(destination, contacts).subquery("obs")

    day, family, is_contact = obs.c.day, obs.c.family, obs.c.contact == 1
    start, end = exited.c.exit_date, exited.c.window_end
    positive = list(programme.outcomes.positive)
    # The first positive outcome's order (day, family's rank in outcomes.positive,
    # digital first) packed into one integer, so that MIN finds it on both dialects.
    rank = case({name: i for i, name in enumerate(positive)}, value=family)
    key = dates.days_between(day, start) * (2 * len(positive)) + rank * 2
    key = key + case((obs.c.sector == Sector.DIGITAL.value, 0), else_=1)
    first_key = func.min(case((and_(family.in_(positive), day >= start, day <= end), key)))
    distance = func.abs(dates.days_between(day, exited.c.six_months))
    near = distance <= ESF_SIX_MONTHS_TOLERANCE
    reached = family != "unreachable"
    checkins: list[ColumnElement[Any]] = []
    for i in range(len(dues)):
        low, high = exited.c[f"due{i}_from"], exited.c[f"due{i}_to"]
        on_time = and_(is_contact, day >= low, day <= high)
        checkins += [
            _flag(on_time).label(f"on_time{i}"),
            _flag(and_(on_time, reached)).label(f"reached{i}"),
            _flag(and_(is_contact, day > high, day <= exited.c[f"due{i}_late"])).label(f"late{i}"),
        ]
    kept = [
        exited.c.ref,
        exited.c.exit_date,
        exited.c.reason,
        exited.c.dynamic_exit,
        exited.c.window_end,
        exited.c.l4_end,
        exited.c.six_months,
        *(exited.c[f"due{i}_to"] for i in range(len(dues))),
    ]
    return (
        select(
            *kept,
            first_key.label("first_key"),
            _flag(and_(is_contact, day > start, day <= end, reached)).label("responded"),
            *(
                _flag(and_(family == name, day >= start, day <= exited.c.l4_end)).label(name)
                for name in _UPON_LEAVING
            ),
            func.min(case((near, distance))).label("nearest"),
            func.min(case((and_(near, family == "employment"), distance))).label(
                "nearest_employment"
            ),
            *checkins,
        )
        .join_from(exited, obs, obs.c.ref == exited.c.ref)
        .group_by(*kept)
    )


class SqlOutcomeFacts:
    """The outcome facts of a programme's participants, computed by the database."""

    def __init__(self, session: Session, batch_size: int) -> None:
        self._session = session
        self._batch_size = batch_size

    def iter(self, programme: Programme, as_of: dt.date) -> Iterator[OutcomeFacts]:
        """Facts of every participant entered by as_of, in participant id order, by page."""
        dialect = self._session.get_bind().dialect.name
        aggregated = exited_query(programme, as_of, dialect)
        decoder = _Decoder(programme, as_of, [str(c.key) for c in aggregated.selected_columns])
        page = (
            select(*(_PARTICIPANTS.c[name] for name in _PERSON))
            .where(
                _PARTICIPANTS.c.programme_id == programme.id,
                _PARTICIPANTS.c.entry_date <= as_of,
            )
            .order_by(_PARTICIPANTS.c.participant_id)
            .limit(self._batch_size)
        )
        last: str | None = None
        while True:
            query = page if last is None else page.where(_PARTICIPANTS.c.participant_id > last)
            rows = self._session.execute(query).all()
            if not rows:
                return
            last = rows[-1][1]
            refs = [row[0] for row in rows]
            exits = {row[0]: row for row in self._session.execute(aggregated, {"refs": refs})}
            for row in rows:
                yield decoder.facts(row, exits.get(row[0]))
            if len(rows) < self._batch_size:
                return


#: The participant columns read, in this order.
_PERSON = (
    "id",
    "participant_id",
    "cohort_id",
    "entry_date",
    "birth_date",
    "gender",
    "education_level",
    "qpv",
    "status_at_entry",
)


class _Decoder:
    """Turns a participant row and its aggregated exit row into facts, by column position."""

    def __init__(self, programme: Programme, as_of: dt.date, columns: list[str]) -> None:
        self.as_of = as_of
        self.checkpoints = programme.followup.checkpoints
        self.positive: Sequence[str] = programme.outcomes.positive
        self.at = {name: i for i, name in enumerate(columns)}
        first = self.at["due0_to"] if self.checkpoints else 0
        self.dues = slice(first, first + len(self.checkpoints))
        self.flags = slice(self.at["on_time0"] if self.checkpoints else len(columns), len(columns))
        self.situations: dict[int, Situation] = {}
        self.checkins: dict[tuple[Any, ...], tuple[CheckinFact, ...]] = {}

    def facts(self, person: Sequence[Any], exited: Sequence[Any] | None) -> OutcomeFacts:
        """The facts of one participant; ``exited`` is None without an exit by as_of."""
        _, pid, cohort, entry, birth, gender, education, qpv, status = person
        population = self._population(exited)
        identity = {
            "participant_id": pid,
            "cohort_id": cohort,
            "entry_date": entry,
            "population": population,
            "gender": None if gender is None else _GENDER[gender],
            "age_at_entry": None if birth is None else age_on(birth, entry),
            "education_level": None if education is None else _EDUCATION[education],
            "qpv": qpv,
            "status_at_entry": None if status is None else _STATUS[status],
        }
        if exited is None:
            return OutcomeFacts(exit_date=None, **identity)
        if population is Population.NEUTRALISED:
            return OutcomeFacts(exit_date=exited[1], **identity)
        return self._exited(identity, exited)

    def _population(self, exited: Sequence[Any] | None) -> Population:
        if exited is None:
            return Population.IN_PROGRAMME
        if exited[2] == ExitReason.NEUTRALISED.value:
            return Population.NEUTRALISED
        return Population.PENDING if exited[4] > self.as_of else Population.MATURE

    def _exited(self, identity: dict[str, Any], row: Sequence[Any]) -> OutcomeFacts:
        as_of, at = self.as_of, self.at
        l4 = row[at["l4_end"]] <= as_of
        l6 = row[at["six_months"]] + dt.timedelta(days=ESF_SIX_MONTHS_TOLERANCE) <= as_of
        mature = identity["population"] is Population.MATURE
        first = self._situation(row[at["first_key"]]) if mature else None
        if not mature:
            outcome = None
        elif row[2] == ExitReason.DROPOUT.value:
            outcome = "dropout"
        else:
            outcome = "none" if first is None else first.family
        nearest = row[at["nearest"]]
        return OutcomeFacts(
            exit_date=row[1],
            outcome=outcome,
            first_positive=first,
            responded=mature and bool(row[at["responded"]]),
            in_l4=l4,
            job_searching_upon_leaving=l4 and bool(row[at["job_search"]]),
            training_upon_leaving=l4 and bool(row[at["training"]]),
            employment_upon_leaving=l4 and bool(row[at["employment"]]),
            in_l6=l6,
            employment_six_months=(
                l6 and nearest is not None and row[at["nearest_employment"]] == nearest
            ),
            dynamic_exit=_DYNAMIC[row[3]],
            checkins=self._checkins(row),
            **identity,
        )

    def _checkins(self, row: Sequence[Any]) -> tuple[CheckinFact, ...]:
        """The check-ins, shared between participants with the same statuses."""
        key = (*(due < self.as_of for due in row[self.dues]), *row[self.flags])
        found = self.checkins.get(key)
        if found is None:
            found = tuple(
                self._checkin(key, i, months) for i, months in enumerate(self.checkpoints)
            )
            self.checkins[key] = found
        return found

    def _checkin(self, key: tuple[Any, ...], i: int, months: int) -> CheckinFact:
        on_time, reached, late = key[
            len(self.checkpoints) + 3 * i : len(self.checkpoints) + 3 * i + 3
        ]
        if on_time:
            status = CheckinStatus.ON_TIME
        elif late:
            status = CheckinStatus.LATE
        else:
            status = CheckinStatus.MISSING
        return CheckinFact(months, status, bool(reached), key[i])

    def _situation(self, key: int | None) -> Situation | None:
        """Decode the first positive outcome's sort key: day offset, family rank, sector."""
        if key is None:
            return None
        code = key % (2 * len(self.positive))
        found = self.situations.get(code)
        if found is None:
            rank, other = divmod(code, 2)
            found = Situation(self.positive[rank], Sector.OTHER if other else Sector.DIGITAL)
            self.situations[code] = found
        return found
