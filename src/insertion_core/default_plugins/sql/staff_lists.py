"""Staff lists in one query: the due check-ins or the participants at risk, with whom to call.

docs/architecture.md, Stored check-ins. The list's query (:mod:`.stored_checkins`)
gets, for its own lines only, the person's name, phone and e-mail (an outer
join on ``personal_data``), the last contact on or before as_of (the contact
with the latest date, the last recorded among those of that date) and the
unreachable attempts since the last contact that reached the participant
(subqueries on the contacts' primary key). No journey is built: the cost is
a few index lookups per listed line, whatever the programme's size. The
lines equal :func:`insertion_core.staff.with_reach` over the journeys.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import Date, Select, and_, func, literal, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement, FromClause

from ...domain.codes import Channel
from ...domain.model import FollowUpContact, PersonalData
from ...domain.programme import Programme
from ...domain.situations import Sector, Situation
from ...staff import AtRiskCall, DueCall, Reach
from .stored_checkins import at_risk_of, at_risk_query, due_checkin, due_query
from .tables import metadata

__all__ = ["at_risk_calls", "due_calls"]

_PARTICIPANTS = metadata.tables["participants"]
_CONTACTS = metadata.tables["contacts"]
_PERSONAL = metadata.tables["personal_data"]
_CHECKINS = metadata.tables["participant_checkins"]

#: The family of a contact that did not reach the participant (domain.standing).
_UNREACHABLE = "unreachable"
#: Situations and channels are a few distinct values shared by thousands of lines.
_SITUATIONS: dict[tuple[str, str], Situation] = {}
_CHANNELS = {channel.value: channel for channel in Channel}


def due_calls(
    session: Session,
    programme: Programme,
    as_of: dt.date,
    *,
    overdue_only: bool = False,
    counsellor: str | None = None,
    names: bool = True,
) -> list[DueCall]:
    """The check-ins due on as_of (the stored due list), each with the person's reach."""
    p = _PARTICIPANTS.c
    query = due_query(programme, as_of)
    if overdue_only:
        query = query.where(_CHECKINS.c.window_end < as_of)
    if counsellor is not None:
        query = query.where(p.counsellor == counsellor)
    query = _with_reach(query, _PARTICIPANTS, programme.id, as_of, names=names)
    return [DueCall(due_checkin(row, as_of), _reach(row, names)) for row in session.execute(query)]


def at_risk_calls(
    session: Session,
    programme: Programme,
    as_of: dt.date,
    *,
    counsellor: str | None = None,
    names: bool = True,
) -> list[AtRiskCall]:
    """The participants at risk on as_of (the stored list), each with the person's reach."""
    risks = at_risk_query(programme, as_of).order_by(None).subquery("at_risk")
    query: Select[Any] = select(risks).order_by(risks.c.participant_id)
    if counsellor is not None:
        query = query.where(risks.c.counsellor == counsellor)
    query = _with_reach(query, risks, programme.id, as_of, names=names)
    return [AtRiskCall(at_risk_of(row), _reach(row, names)) for row in session.execute(query)]


def _with_reach(
    query: Select[Any], person: FromClause, programme_id: str, as_of: dt.date, *, names: bool
) -> Select[Any]:
    """``query`` with the reach columns of ``person`` (its ``participant_id`` and row id).

    ``person`` is the participants table or a subquery whose ``ref`` is the row id.
    """
    ref = person.c.id if "id" in person.c else person.c.ref
    last = _CONTACTS.alias("last_contact")
    on_last = and_(last.c.participant_ref == ref, last.c.seq == _last_seq(ref, person, as_of))
    query = query.outerjoin_from(person, last, on_last).add_columns(
        last.c.contact_date.label("contact_date"),
        last.c.situation_family.label("situation_family"),
        last.c.situation_sector.label("situation_sector"),
        last.c.channel.label("channel"),
        _attempts_since(ref, person, as_of).label("attempts_since"),
    )
    if not names:
        return query
    pd = _PERSONAL.c
    on_person = and_(pd.programme_id == programme_id, pd.participant_id == person.c.participant_id)
    return query.outerjoin_from(person, _PERSONAL, on_person).add_columns(
        pd.participant_id.label("personal_id"), pd.first_name, pd.last_name, pd.email, pd.phone
    )


def _last_seq(ref: ColumnElement[Any], person: FromClause, as_of: dt.date) -> Any:
    """The seq of the last contact on or before as_of: latest date, last recorded of that date."""
    c = _CONTACTS.alias("latest").c
    return (
        select(c.seq)
        .where(c.participant_ref == ref, c.contact_date <= as_of)
        .order_by(c.contact_date.desc(), c.seq.desc())
        .limit(1)
        .correlate(person)
        .scalar_subquery()
    )


def _attempts_since(ref: ColumnElement[Any], person: FromClause, as_of: dt.date) -> Any:
    """Unreachable contacts up to as_of, after the last one (up to as_of) that reached."""
    reached = _CONTACTS.alias("reached").c
    last_reached = (
        select(func.max(reached.contact_date))
        .where(
            reached.participant_ref == ref,
            reached.situation_family != _UNREACHABLE,
            reached.contact_date <= as_of,
        )
        .correlate(person)
        .scalar_subquery()
    )
    tried = _CONTACTS.alias("tried").c
    return (
        select(func.count())
        .where(
            tried.participant_ref == ref,
            tried.situation_family == _UNREACHABLE,
            tried.contact_date <= as_of,
            tried.contact_date > func.coalesce(last_reached, literal(dt.date.min, Date)),
        )
        .correlate(person)
        .scalar_subquery()
    )


def _reach(row: Any, names: bool) -> Reach:
    """The reach of a row of :func:`_with_reach`."""
    contact = None
    if row.contact_date is not None:
        key = (row.situation_family, row.situation_sector)
        situation = _SITUATIONS.get(key)
        if situation is None:
            situation = _SITUATIONS[key] = Situation(key[0], Sector(key[1]))
        contact = FollowUpContact(
            contact_date=row.contact_date,
            situation=situation,
            channel=None if row.channel is None else _CHANNELS[row.channel],
        )
    personal = None
    if names and row.personal_id is not None:
        personal = PersonalData(
            row.personal_id, row.first_name, row.last_name, row.email, row.phone
        )
    return Reach(personal, contact, int(row.attempts_since), names)
