"""Staff lists read in one query equal the reference: the lists, then each listed journey.

docs/architecture.md, Stored check-ins: on SQL, ``followups due`` and
``followups at-risk`` get the person's name, phone and e-mail, the last
contact on or before as_of and the unreachable attempts since from the
list's own query. The reference stays the oracle: the lists of
:mod:`insertion_core.outcomes.checkins` over every journey, each line with
:meth:`insertion_core.staff.Reach.of` its journey. Days fall on window
edges and contact dates (a contact on as_of, others after it); contacts
share days and many are ``unreachable``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insertion_core.cli.staff_output import reach_lines
from insertion_core.default_plugins.sql import SqlStorage
from insertion_core.domain import Journey, Programme
from insertion_core.domain.calendar import add_months
from insertion_core.domain.codes import Channel, ExitReason
from insertion_core.domain.model import Exit, FollowUpContact, Participant, PersonalData
from insertion_core.domain.programme import loads_programme
from insertion_core.domain.situations import Situation
from insertion_core.outcomes import at_risk, due_checkins
from insertion_core.staff import AtRiskCall, DueCall, Reach
from insertion_core.storage import StaffListsSource

from ..conftest import PROGRAMME_TOML
from ..strategies import participants, programmes
from .pushdown_strategies import tricky_populations
from .pushdown_support import sql_database, stored
from .test_stored_checkins import window_edges, with_attendance

__all__ = ["sql_database"]

SETTINGS = settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
_text = st.none() | st.text(
    st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=6
)


def personal_of(pid: str) -> st.SearchStrategy[PersonalData]:
    """Personal data of ``pid``, any field possibly missing."""
    return st.builds(PersonalData, st.just(pid), _text, _text, _text, _text)


@st.composite
def called_journeys(draw: st.DrawFn, programme: Programme, pid: str, exit_date: dt.date) -> Journey:
    """A journey listed as due with contacts before its first window opens, and maybe after.

    Contacts fall on a few days (several on one day, reached or not, in any
    order), mostly ``unreachable``; the first check-in stays open until a
    contact in its window, which may come after as_of.
    """
    participant = draw(participants(programme, st.just(pid), st.just(exit_date)))
    opens = add_months(exit_date, programme.followup.checkpoints[0]) - dt.timedelta(
        days=programme.followup.grace_days
    )
    before = max((opens - exit_date).days - 1, 0)
    days = draw(st.lists(st.integers(0, before), min_size=1, max_size=3))
    families = st.sampled_from(["unreachable", "unreachable", "employment", "training"])
    made = [
        FollowUpContact(
            exit_date + dt.timedelta(days=draw(st.sampled_from(days))),
            Situation(draw(families)),
            channel=draw(st.none() | st.sampled_from(list(Channel))),
        )
        for _ in range(draw(st.integers(0, 6)))
    ]
    if draw(st.booleans()):  # closes the check-in some day in its window
        later = draw(st.integers(0, 2 * programme.followup.grace_days))
        made.append(FollowUpContact(opens + dt.timedelta(days=later), Situation("employment")))
    exit_ = Exit(exit_date, ExitReason.COMPLETED, Situation("job_search"))
    return Journey(participant, exit=exit_, contacts=tuple(made))


def lines(calls: list[DueCall] | list[AtRiskCall]) -> list[Any]:
    """What the command line shows of each call: its JSON object and its text lines."""
    return [(call.to_json_dict(), reach_lines(call.reach)) for call in calls]


def reference_due(
    programme: Programme,
    journeys: list[Journey],
    personal: dict[str, PersonalData],
    day: dt.date,
    options: tuple[bool, str | None, bool],
) -> list[DueCall]:
    """The due list over every journey, filtered, each line with its journey's reach."""
    overdue_only, counsellor, names = options
    by_id = {j.participant_id: j for j in journeys}
    return [
        DueCall(d, _reach(by_id[d.participant_id], personal, day, names))
        for d in due_checkins(programme, journeys, day)
        if (not overdue_only or d.status == "overdue")
        and (counsellor is None or d.counsellor == counsellor)
    ]


def reference_at_risk(
    programme: Programme,
    journeys: list[Journey],
    personal: dict[str, PersonalData],
    day: dt.date,
    options: tuple[bool, str | None, bool],
) -> list[AtRiskCall]:
    """The list at risk over every journey, filtered, each line with its journey's reach."""
    _, counsellor, names = options
    by_id = {j.participant_id: j for j in journeys}
    return [
        AtRiskCall(r, _reach(by_id[r.participant_id], personal, day, names))
        for r in at_risk(programme, journeys, day)
        if counsellor is None or r.counsellor == counsellor
    ]


def _reach(journey: Journey, personal: dict[str, PersonalData], day: dt.date, names: bool) -> Reach:
    who = personal.get(journey.participant_id) if names else None
    return Reach.of(journey, who, day, names=names)


@SETTINGS
@given(st.data())
def test_the_staff_lists_in_one_query_equal_the_reference(
    sql_database: SqlStorage, data: st.DataObject
) -> None:
    programme = data.draw(programmes(), label="programme")
    tricky = data.draw(tricky_populations(programme), label="journeys")
    taken = {j.participant_id for j in tricky}
    exit_date = data.draw(st.dates(dt.date(2020, 1, 1), dt.date(2026, 6, 30)), label="exit")
    called = [
        data.draw(called_journeys(programme, f"CALL{n}", exit_date), label=f"CALL{n}")
        for n in range(data.draw(st.integers(1, 6), label="called"))
    ]
    journeys = sorted(
        [*tricky, *(j for j in called if j.participant_id not in taken)],
        key=lambda j: j.participant_id,
    )
    pids = [j.participant_id for j in journeys]
    known = data.draw(st.lists(st.sampled_from(pids), unique=True), label="with personal data")
    edges = window_edges(programme, journeys)
    days = [data.draw(st.dates(dt.date(2016, 1, 1), dt.date(2029, 12, 31)), label="any day")]
    if edges:
        days += data.draw(st.lists(st.sampled_from(edges), min_size=1, max_size=5), label="days")
    attended = sorted({r.date for j in journeys for r in j.attendance})
    if attended:
        days += data.draw(st.lists(st.sampled_from(attended), max_size=2), label="attended")
    counsellors = sorted({j.participant.counsellor for j in journeys if j.participant.counsellor})
    options = data.draw(
        st.tuples(
            st.booleans(), st.none() | st.sampled_from([*counsellors, "nobody"]), st.booleans()
        ),
        label="overdue only, counsellor, names",
    )
    source = with_attendance(programme)
    with stored(sql_database, programme, journeys, source=source) as storage:
        with storage.unit_of_work() as uow:
            for pid in known:
                uow.personal.save(programme.id, data.draw(personal_of(pid), label=pid))
            uow.commit()
        with storage.unit_of_work() as uow:
            personal = {pid: p for pid in pids if (p := uow.personal.get(programme.id, pid))}
            assert isinstance(uow, StaffListsSource)
            overdue_only, counsellor, names = options
            due = [
                uow.due_calls(
                    programme, day, overdue_only=overdue_only, counsellor=counsellor, names=names
                )
                for day in days
            ]
            risky = [
                uow.at_risk_calls(programme, day, counsellor=counsellor, names=names)
                for day in days
            ]
    assert [lines(found) for found in due] == [
        lines(reference_due(programme, journeys, personal, day, options)) for day in days
    ]
    assert [lines(found) for found in risky] == [
        lines(reference_at_risk(programme, journeys, personal, day, options)) for day in days
    ]


def _contacts(*made: tuple[dt.date, str, Channel | None]) -> tuple[FollowUpContact, ...]:
    return tuple(FollowUpContact(day, Situation(family), channel=ch) for day, family, ch in made)


def test_the_last_contact_and_the_attempts_since_on_their_boundaries(
    sql_database: SqlStorage,
) -> None:
    """Same-day contacts (the last recorded is the last contact), unreachable attempts, later ones.

    Every participant left on 20 December 2025: the 1-month check-in is due
    on 20 January 2026, listed from 10 January (grace 10 days). A contact in
    the window after as_of closes it later and is not the last contact yet.
    """
    programme = loads_programme(PROGRAMME_TOML)
    d = dt.date
    phone, sms, email = Channel.PHONE, Channel.SMS, Channel.EMAIL
    made = {
        "A1": _contacts(
            (d(2025, 12, 22), "employment", phone),
            (d(2025, 12, 28), "unreachable", sms),
            (d(2025, 12, 28), "employment", None),
            (d(2026, 1, 2), "unreachable", email),
            (d(2026, 1, 5), "unreachable", phone),
            (d(2026, 1, 15), "employment", phone),
        ),
        "B2": _contacts((d(2025, 12, 22), "unreachable", sms), (d(2025, 12, 22), "training", None)),
        "C3": _contacts((d(2025, 12, 22), "training", None), (d(2025, 12, 22), "unreachable", sms)),
        "D4": _contacts((d(2025, 12, 30), "unreachable", sms), (d(2026, 1, 3), "unreachable", sms)),
        "E5": (),
    }
    journeys = [
        Journey(
            Participant(pid, "C1", d(2025, 9, 1), counsellor="c1"),
            exit=Exit(d(2025, 12, 20), ExitReason.COMPLETED, Situation("job_search")),
            contacts=contacts,
        )
        for pid, contacts in made.items()
    ]
    late = ("unreachable.other", "phone")
    expected = {
        "A1": ({"date": "2026-01-05", "situation": late[0], "channel": late[1]}, 2),
        "B2": ({"date": "2025-12-22", "situation": "training.other", "channel": None}, 0),
        "C3": ({"date": "2025-12-22", "situation": "unreachable.other", "channel": "sms"}, 0),
        "D4": ({"date": "2026-01-03", "situation": "unreachable.other", "channel": "sms"}, 2),
        "E5": (None, 0),
    }
    with stored(sql_database, programme, journeys) as storage, storage.unit_of_work() as uow:
        assert isinstance(uow, StaffListsSource)
        days = (d(2026, 1, 9), d(2026, 1, 10), d(2026, 1, 14), d(2026, 1, 15))
        found = {
            day: uow.due_calls(programme, day, overdue_only=False, counsellor=None, names=False)
            for day in days
        }
    assert found[d(2026, 1, 9)] == []
    for day in days[1:3]:
        reach = {c.checkin.participant_id: c.reach.to_json_dict() for c in found[day]}
        assert {
            pid: (r["last_contact"], r["attempts_since"]) for pid, r in reach.items()
        } == expected
    assert [c.checkin.participant_id for c in found[d(2026, 1, 15)]] == ["B2", "C3", "D4", "E5"]
    for day in days:
        assert lines(found[day]) == lines(
            reference_due(programme, journeys, {}, day, (False, None, False))
        )
