"""Boundary-heavy journeys for the pushed-down facts: dates where the definitions turn.

Exits fall on month ends and leap days; contacts fall on the exit day, on each
window's last day and the day after, on both edges of every check-in range,
at 28 and 29 days, at six months ± 31 and 32 days; several share a day; as_of
sits on those same edges. Families lean towards the positive ones, so
same-day ties are common.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from hypothesis import strategies as st

from insertion_core.domain import (
    Contract,
    Exit,
    ExitReason,
    FollowUpContact,
    Journey,
    Programme,
    Sector,
    Situation,
)
from insertion_core.domain.calendar import add_months, last_day_of_month

from ..strategies import ids, participants, populations


@st.composite
def month_end_dates(draw: st.DrawFn) -> dt.date:
    """Mostly one of a month's last four days (29 February included), else the 1st or 15th."""
    year = draw(st.sampled_from(range(2019, 2026)))
    month = draw(st.sampled_from([1, 3, 5, 7, 8, 10, 12, 2, 4, 6, 9, 11]))
    last = last_day_of_month(year, month)
    day = draw(st.sampled_from([last, last - 1, last - 2, last - 3, 1, 15]))
    return dt.date(year, month, day)


@st.composite
def overflowing_exits(draw: st.DrawFn, programme: Programme) -> dt.date:
    """A month's last day from which a window the programme uses ends on a shorter month."""
    f = programme.followup
    months = draw(st.sampled_from([f.months, 6, *f.checkpoints]))
    year = draw(st.sampled_from(range(2020, 2026)))
    target = draw(st.sampled_from([2, 4, 6, 9, 11]))
    index = year * 12 + target - 1 - months
    exit_year, exit_month = divmod(index, 12)
    return dt.date(exit_year, exit_month + 1, last_day_of_month(exit_year, exit_month + 1))


def anchors(programme: Programme, exit_date: dt.date) -> list[dt.date]:
    """Every day near which a definition changes its answer, for one exit date."""
    f = programme.followup
    g, late = f.grace_days, f.grace_days + f.overdue_days
    found = [exit_date, exit_date + dt.timedelta(days=28), exit_date + dt.timedelta(days=29)]
    window_end = add_months(exit_date, f.months)
    found += [window_end, window_end + dt.timedelta(days=1)]
    six = add_months(exit_date, 6)
    found += [six + dt.timedelta(days=d) for d in (-32, -31, -1, 0, 1, 31, 32)]
    for months in f.checkpoints:
        due = add_months(exit_date, months)
        found += [due + dt.timedelta(days=d) for d in (-g - 1, -g, 0, g, g + 1, late, late + 1)]
    return found


def situations_for(programme: Programme) -> st.SearchStrategy[Situation]:
    """Situations, mostly in the positive families and those the ESF+ flags look at."""
    common = [*programme.outcomes.positive, "employment", "training", "job_search", "unreachable"]
    every = [*common, "inactive", "other", "civic_service", *programme.outcomes.families]
    family = st.sampled_from(common) | st.sampled_from(every)
    return st.builds(Situation, family, st.sampled_from(list(Sector)))


@st.composite
def tricky_journeys(
    draw: st.DrawFn, programme: Programme, participant_id: str, exit_days: list[dt.date]
) -> Journey:
    """A journey whose exit (on one of ``exit_days``, mostly) and contacts sit on edges."""
    exit_date = draw(st.sampled_from(exit_days) | month_end_dates())
    entry = exit_date - dt.timedelta(days=draw(st.integers(0, 400)))
    participant = draw(participants(programme, st.just(participant_id), st.just(entry)))
    if draw(st.integers(0, 9)) == 0:
        return Journey(participant)
    exit_ = Exit(
        exit_date=exit_date,
        reason=draw(st.sampled_from(list(ExitReason))),
        destination=draw(situations_for(programme)),
        contract=draw(st.none() | st.sampled_from([Contract.CDD, Contract.INTERIM, *Contract])),
        contract_months=draw(
            st.none() | st.sampled_from([Decimal("5.9"), Decimal("6"), Decimal("6.0"), Decimal(12)])
        ),
        qualifying=draw(st.none() | st.booleans()),
    )
    days = draw(
        st.lists(
            st.sampled_from(anchors(programme, exit_date))
            | st.integers(0, 500).map(lambda n: exit_date + dt.timedelta(days=n)),
            max_size=8,
        )
    )
    contacts = tuple(FollowUpContact(day, draw(situations_for(programme))) for day in days)
    return Journey(participant, exit=exit_, contacts=contacts)


@st.composite
def tricky_populations(draw: st.DrawFn, programme: Programme) -> list[Journey]:
    """Boundary-heavy journeys of distinct participants sharing a few exit days, and ordinary ones."""
    exit_days = draw(
        st.lists(month_end_dates() | overflowing_exits(programme), min_size=1, max_size=3)
    )
    pids = draw(st.lists(ids, unique=True, min_size=5, max_size=20))
    found = [draw(tricky_journeys(programme, pid, exit_days)) for pid in pids]
    taken = set(pids)
    found += [j for j in draw(populations(programme, max_size=4)) if j.participant_id not in taken]
    return found


@st.composite
def report_days(draw: st.DrawFn, programme: Programme, journeys: list[Journey]) -> dt.date:
    """An as_of on an edge of some participant's windows, or any day."""
    edges = [
        day
        for j in journeys
        if j.exit is not None
        for day in (*anchors(programme, j.exit.exit_date), j.participant.entry_date)
    ]
    shifted = st.sampled_from(edges).flatmap(
        lambda day: st.sampled_from([-1, 0, 1]).map(lambda d: day + dt.timedelta(days=d))
    )
    anywhere = st.dates(dt.date(2018, 1, 1), dt.date(2028, 12, 31))
    if not edges or draw(st.integers(0, 4)) == 0:
        return draw(anywhere)
    return draw(shifted)
