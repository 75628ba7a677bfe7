"""Outcome facts pushed down to SQL: the per-participant work done where the data lives.

The same :class:`~insertion_core.outcomes.facts.OutcomeFacts` as the reference
implementation (:mod:`insertion_core.outcomes.reference`), without building a
journey. Participants are paged by id; for each page one query turns the exit
destination and the contacts into observations and aggregates them per
participant (first positive outcome, response, ESF+ flags, check-ins). Python
only decodes one aggregated row per participant, by column name, so memory
stays bounded by the page size whatever the number of contacts. The rules'
constants come from :mod:`insertion_core.outcomes.rules`, as the reference's do.
"""

from __future__ import annotations

import datetime as dt
from array import array
from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    and_,
    case,
    func,
    literal_column,
    or_,
    select,
    true,
    union_all,
)
from sqlalchemy.engine import Row
from sqlalchemy.orm import Session

from ...domain.calendar import age_on
from ...domain.codes import EducationLevel, ExitReason, Gender, StatusAtEntry
from ...domain.programme import Programme
from ...domain.situations import Sector, Situation
from ...outcomes import rules
from ...outcomes.facts import CheckinFact, CheckinStatus, DynamicExit, OutcomeFacts, Population
from .dates import SqlDates
from .pages import among, without_jit
from .tables import metadata
from .unindexed import unindexed

__all__ = ["SqlOutcomeFacts"]

_PARTICIPANTS = metadata.tables["participants"]
_EXITS = metadata.tables["exits"]
_CONTACTS = metadata.tables["contacts"]
_STORED = metadata.tables["participant_facts"]

_DURABLE = [c.value for c in rules.DURABLE_CONTRACTS]
_TIMED = [c.value for c in rules.TIMED_CONTRACTS]

_GENDER = {m.value: m for m in Gender}
_EDUCATION = {m.value: m for m in EducationLevel}
_STATUS = {m.value: m for m in StatusAtEntry}
_DYNAMIC = {m.value: m for m in DynamicExit}


def _dynamic_exit() -> ColumnElement[str]:
    """The IAE class of the exit, on its destination and contract alone (docs/indicators.md, Dynamic exits)."""
    family = func.lower(_EXITS.c.destination_family)
    contract = _EXITS.c.contract
    months = literal_column(str(rules.DURABLE_TIMED_CONTRACT_MONTHS), Integer)
    long_enough = and_(contract.in_(_TIMED), _EXITS.c.contract_months >= months)
    qualifying = _EXITS.c.qualifying
    return case(
        (
            and_(family == rules.EMPLOYMENT, or_(contract.in_(_DURABLE), long_enough)),
            DynamicExit.DURABLE_EMPLOYMENT.value,
        ),
        (family == rules.EMPLOYMENT, DynamicExit.TRANSITION_EMPLOYMENT.value),
        (
            and_(family == rules.TRAINING, or_(qualifying.is_(None), qualifying == true())),
            DynamicExit.POSITIVE_EXIT.value,
        ),
        else_=DynamicExit.OTHER.value,
    )


def _flag(condition: ColumnElement[bool]) -> ColumnElement[int]:
    """1 when some observation of the participant meets ``condition``, else 0."""
    return func.max(case((condition, 1), else_=0))


def _nth(label: str, checkpoint: int) -> str:
    """The column of one check-in: ``due_to_0``, ``on_time_2``..."""
    return f"{label}_{checkpoint}"


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
            dates.add_days(due, -grace).label(_nth("due_from", i)),
            dates.add_days(due, grace).label(_nth("due_to", i)),
            dates.add_days(due, late).label(_nth("due_late", i)),
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
            dates.add_days(exit_date, rules.ESF_UPON_LEAVING_DAYS).label("l4_end"),
            dates.add_months(exit_date, rules.ESF_LONG_TERM_MONTHS).label("six_months"),
            *checkin_bounds,
        )
        .where(
            among(_EXITS.c.participant_ref, "refs", dialect),
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
    near = distance <= rules.ESF_SIX_MONTHS_TOLERANCE
    reached = family != rules.UNREACHABLE
    checkins: list[ColumnElement[Any]] = []
    for i in range(len(dues)):
        low, high = exited.c[_nth("due_from", i)], exited.c[_nth("due_to", i)]
        on_time = and_(is_contact, day >= low, day <= high)
        is_late = and_(is_contact, day > high, day <= exited.c[_nth("due_late", i)])
        checkins += [
            _flag(on_time).label(_nth("on_time", i)),
            _flag(and_(on_time, reached)).label(_nth("reached", i)),
            _flag(is_late).label(_nth("late", i)),
        ]
    kept = [
        exited.c.ref,
        exited.c.exit_date,
        exited.c.reason,
        exited.c.dynamic_exit,
        exited.c.window_end,
        exited.c.l4_end,
        exited.c.six_months,
        *(exited.c[_nth("due_to", i)] for i in range(len(dues))),
    ]
    return (
        select(
            *kept,
            first_key.label("first_key"),
            _flag(and_(is_contact, day > start, day <= end, reached)).label("responded"),
            *(
                _flag(and_(family == name, day >= start, day <= exited.c.l4_end)).label(flag)
                for flag, name in rules.ESF_UPON_LEAVING.items()
            ),
            func.min(case((near, distance))).label("nearest"),
            func.min(case((and_(near, family == rules.ESF_SIX_MONTHS_FAMILY), distance))).label(
                "nearest_in_family"
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

    def iter(
        self, programme: Programme, as_of: dt.date, *, unsettled_only: bool = False
    ) -> Iterator[OutcomeFacts]:
        """Facts of every participant entered by as_of, by page.

        In participant id order; with ``unsettled_only``, only the participants
        without a stored fact settled by as_of (the others a report counts from
        ``participant_facts``), in row id order (:meth:`_unsettled`).
        """
        if unsettled_only:
            refs = self._unsettled_refs(programme, as_of)
            if refs is not None:
                yield from self._unsettled(programme, as_of, refs)
                return
        page = (
            select(*(_PARTICIPANTS.c[name] for name in _PERSON))
            .where(
                _PARTICIPANTS.c.programme_id == programme.id,
                _PARTICIPANTS.c.entry_date <= as_of,
            )
            .order_by(_PARTICIPANTS.c.participant_id)
            .limit(self._batch_size)
        )
        if unsettled_only:
            settled = select(_STORED.c.participant_ref).where(
                _STORED.c.participant_ref == _PARTICIPANTS.c.id, _STORED.c.settled_on <= as_of
            )
            page = page.where(~settled.exists())
        last: str | None = None
        while True:
            query = page if last is None else page.where(_PARTICIPANTS.c.participant_id > last)
            rows = self._session.execute(query).all()
            if not rows:
                return
            last = rows[-1][_PARTICIPANT_ID]
            for _, facts in self._decode(programme, as_of, rows):
                yield facts
            if len(rows) < self._batch_size:
                return

    def _unsettled_refs(self, programme: Programme, as_of: dt.date) -> array[int] | None:
        """The row ids of the participants whose stored fact settles after as_of, in order.

        Read from the ``(programme_id, settled_on)`` index alone: on a report's
        day about one participant in ten. None when the programme has not as
        many stored facts as participants: every participant has one, written
        with its row in its programme, so some participant lacks it, and the
        caller looks for such participants one by one.
        """
        programme_id = programme.id
        counted = self._session.execute(
            select(
                select(func.count())
                .where(_PARTICIPANTS.c.programme_id == programme_id)
                .scalar_subquery(),
                select(func.count())
                .where(_STORED.c.programme_id == programme_id)
                .scalar_subquery(),
            )
        ).one()
        if counted[0] != counted[1]:
            return None
        refs = self._session.scalars(
            select(_STORED.c.participant_ref).where(
                _STORED.c.programme_id == programme_id, _STORED.c.settled_on > as_of
            )
        ).all()
        return array("q", sorted(refs))

    def _unsettled(
        self, programme: Programme, as_of: dt.date, refs: array[int]
    ) -> Iterator[OutcomeFacts]:
        """The facts of the participants with these row ids entered by as_of, by page.

        Each page's row ids are one bound list (:func:`.pages.among`), and
        PostgreSQL runs the pages without JIT (:func:`.pages.without_jit`).
        """
        dialect = self._session.get_bind().dialect.name
        off_index = unindexed(dialect)
        page = select(*(_PARTICIPANTS.c[name] for name in _PERSON)).where(
            among(_PARTICIPANTS.c.id, "page", dialect),
            off_index(_PARTICIPANTS.c.programme_id) == programme.id,
            off_index(_PARTICIPANTS.c.entry_date) <= as_of,
        )
        with without_jit(self._session):
            for first in range(0, len(refs), self._batch_size):
                chunk = refs[first : first + self._batch_size].tolist()
                rows = self._session.execute(page, {"page": chunk}).all()
                for _, facts in self._decode(programme, as_of, rows):
                    yield facts

    def of_refs(
        self, programme: Programme, as_of: dt.date, refs: Sequence[int]
    ) -> Iterator[tuple[int, OutcomeFacts]]:
        """The facts of the participants with these row ids, each with its row id, by page."""
        for first in range(0, len(refs), self._batch_size):
            chunk = list(refs[first : first + self._batch_size])
            query = select(*(_PARTICIPANTS.c[name] for name in _PERSON)).where(
                _PARTICIPANTS.c.id.in_(chunk)
            )
            rows = self._session.execute(query).all()
            yield from self._decode(programme, as_of, rows)

    def _decode(
        self, programme: Programme, as_of: dt.date, rows: Sequence[Row[Any]]
    ) -> Iterator[tuple[int, OutcomeFacts]]:
        """One page: the aggregated exits of its participants, decoded with the person rows."""
        if not rows:
            return
        dialect = self._session.get_bind().dialect.name
        aggregated = exited_query(programme, as_of, dialect)
        found = self._session.execute(aggregated, {"refs": [row[_ID] for row in rows]})
        decoder = _Decoder(programme, as_of, list(found.keys()))
        exits = {row[0]: row for row in found.all()}
        facts = decoder.facts
        for row in rows:
            yield row[_ID], facts(row, exits.get(row[_ID]))


#: The participant columns read, and the position of those read by name.
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
_ID, _PARTICIPANT_ID = 0, 1


class _Decoder:
    """Turns a participant row and its aggregated exit row into facts.

    The rows are read by position (found once from the columns' names): one
    participant in ten of a large report is decoded here.
    """

    def __init__(self, programme: Programme, as_of: dt.date, columns: Sequence[str]) -> None:
        self.as_of = as_of
        self.checkpoints = programme.followup.checkpoints
        self.positive: Sequence[str] = programme.outcomes.positive
        self.keys = 2 * len(self.positive)
        at = {name: i for i, name in enumerate(columns)}
        self.at = at
        count = range(len(self.checkpoints))
        self.dues = [at[_nth("due_to", i)] for i in count]
        self.flags = [at[_nth(label, i)] for i in count for label in ("on_time", "reached", "late")]
        self.upon_leaving = [at[flag] for flag in rules.ESF_UPON_LEAVING]
        self.situations: dict[int, Situation] = {}
        self.checkins: dict[tuple[Any, ...], tuple[CheckinFact, ...]] = {}

    def facts(self, person: Sequence[Any], exited: Row[Any] | None) -> OutcomeFacts:
        """The facts of one participant; ``exited`` is None without an exit by as_of."""
        _, participant_id, cohort_id, entry, birth, gender, education, qpv, status = person
        identity = {
            "participant_id": participant_id,
            "cohort_id": cohort_id,
            "entry_date": entry,
            "gender": None if gender is None else _GENDER[gender],
            "age_at_entry": None if birth is None else age_on(birth, entry),
            "education_level": None if education is None else _EDUCATION[education],
            "qpv": qpv,
            "status_at_entry": None if status is None else _STATUS[status],
        }
        at = self.at
        if exited is None:
            return OutcomeFacts(exit_date=None, population=Population.IN_PROGRAMME, **identity)
        if exited[at["reason"]] == ExitReason.NEUTRALISED.value:
            return OutcomeFacts(
                exit_date=exited[at["exit_date"]], population=Population.NEUTRALISED, **identity
            )
        return self._exited(identity, exited)

    def _exited(self, identity: dict[str, Any], row: Row[Any]) -> OutcomeFacts:
        as_of, at = self.as_of, self.at
        mature = row[at["window_end"]] <= as_of
        l4 = row[at["l4_end"]] <= as_of
        l6 = row[at["six_months"]] + _SIX_MONTHS_TOLERANCE <= as_of
        dropout = row[at["reason"]] == ExitReason.DROPOUT.value
        first_key = row[at["first_key"]]
        first = self._situation(first_key) if mature else None
        if not mature:
            outcome = None
        elif dropout:
            outcome = rules.DROPOUT
        else:
            outcome = rules.NO_OUTCOME if first is None else first.family
        nearest = row[at["nearest"]]
        job_search, training, employment = (l4 and bool(row[i]) for i in self.upon_leaving)
        return OutcomeFacts(
            exit_date=row[at["exit_date"]],
            population=Population.MATURE if mature else Population.PENDING,
            outcome=outcome,
            first_positive=first,
            responded=mature and bool(row[at["responded"]]),
            in_l4=l4,
            job_searching_upon_leaving=job_search,
            training_upon_leaving=training,
            employment_upon_leaving=employment,
            in_l6=l6,
            employment_six_months=(
                l6 and nearest is not None and row[at["nearest_in_family"]] == nearest
            ),
            dynamic_exit=_DYNAMIC[row[at["dynamic_exit"]]],
            checkins=self._checkins(row),
            days_to_positive=(None if dropout or first_key is None else first_key // self.keys),
            **identity,
        )

    def _checkins(self, row: Row[Any]) -> tuple[CheckinFact, ...]:
        """The check-ins, shared between participants with the same statuses."""
        as_of = self.as_of
        key = (*[row[due] < as_of for due in self.dues], *[row[f] for f in self.flags])
        found = self.checkins.get(key)
        if found is None:
            found = tuple(
                self._checkin(key, i, months) for i, months in enumerate(self.checkpoints)
            )
            self.checkins[key] = found
        return found

    def _checkin(self, key: tuple[Any, ...], i: int, months: int) -> CheckinFact:
        """Check-in ``i`` of the key: the assessed flags first, then on time, reached, late."""
        on_time, reached, late = key[len(self.dues) + 3 * i : len(self.dues) + 3 * i + 3]
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
        code = key % self.keys
        found = self.situations.get(code)
        if found is None:
            rank, other = divmod(code, 2)
            found = Situation(self.positive[rank], Sector.OTHER if other else Sector.DIGITAL)
            self.situations[code] = found
        return found


_SIX_MONTHS_TOLERANCE = dt.timedelta(days=rules.ESF_SIX_MONTHS_TOLERANCE)
