"""Hypothesis strategies shared by every property test: valid programmes and journeys.

Journeys are built to satisfy the lifecycle rules (exit not before entry or
the current phase, contacts not before the exit, attendance between entry and
exit), so a test can feed them to any layer and expect them to be accepted.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from hypothesis import strategies as st

from insertion_core.domain import (
    AttendanceRecord,
    AttendanceStatus,
    Channel,
    Contract,
    EducationLevel,
    Exit,
    ExitReason,
    FollowUpContact,
    Gender,
    HalfDay,
    Journey,
    Participant,
    Phase,
    PhaseProgress,
    Programme,
    Referrer,
    Scheme,
    Sector,
    Situation,
    StatusAtEntry,
)
from insertion_core.domain.calendar import age_on
from insertion_core.domain.programme import (
    EligibilityPolicy,
    FollowUpPolicy,
    OutcomePolicy,
    PrivacyPolicy,
    ReportingPolicy,
)
from insertion_core.domain.situations import BUILTIN_FAMILIES

FIRST_DAY = dt.date(2016, 1, 1)
LAST_DAY = dt.date(2027, 12, 31)

ids = st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZ0123456789", min_size=1, max_size=8)
slugs = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)


def dates(start: dt.date = FIRST_DAY, end: dt.date = LAST_DAY) -> st.SearchStrategy[dt.date]:
    """Days between ``start`` and ``end``, leaning towards month ends and leap days."""
    return st.dates(min_value=start, max_value=end)


def days_after(day: dt.date, at_most: int = 400) -> st.SearchStrategy[dt.date]:
    """A day on or after ``day``, within ``at_most`` days."""
    return st.integers(0, at_most).map(lambda n: day + dt.timedelta(days=n))


@st.composite
def programmes(draw: st.DrawFn, extra_families: tuple[str, ...] = ()) -> Programme:
    """A valid programme: phases, follow-up window and checkpoints, positive families."""
    months = draw(st.integers(1, 12))
    checkpoints = tuple(sorted(draw(st.sets(st.integers(1, months), min_size=1, max_size=4))))
    own = tuple(
        draw(st.lists(st.sampled_from(("civic_plus", "own_business")), unique=True, max_size=1))
    )
    families = tuple(f for f in BUILTIN_FAMILIES if f != "unreachable") + own + extra_families
    positive = tuple(draw(st.lists(st.sampled_from(families), min_size=1, max_size=3, unique=True)))
    phase_ids = draw(st.lists(slugs, unique=True, max_size=4))
    min_age = draw(st.none() | st.integers(14, 18))
    max_age = draw(st.none() | st.integers(20, 30))
    return Programme(
        id=draw(slugs),
        name="Programme",
        followup=FollowUpPolicy(
            months=months,
            checkpoints=checkpoints,
            grace_days=draw(st.integers(0, 20)),
            overdue_days=draw(st.integers(0, 60)),
        ),
        outcomes=OutcomePolicy(positive=positive, families=own),
        duration_months=draw(st.none() | st.integers(1, 12)),
        eligibility=EligibilityPolicy(
            min_age=min_age,
            max_age=max_age,
            max_education_level=draw(st.none() | st.sampled_from(list(EducationLevel))),
        ),
        phases=tuple(Phase(pid, pid.title()) for pid in phase_ids),
        reporting=ReportingPolicy(
            basis=draw(st.sampled_from(["entry", "exit"])),
            min_cell=draw(st.sampled_from([0, 3, 11])),
        ),
        privacy=PrivacyPolicy(retention_months=draw(st.sampled_from([1, 6, 24]))),
    )


def to_toml(programme: Programme) -> str:
    """Programme TOML for a programme :func:`programmes` built, written as a site would.

    ``loads_programme(to_toml(p)) == p`` (tests/test_programme_config.py checks it),
    so a generated programme can be stored with the text storages require.
    """

    def value(v: object) -> str:
        if isinstance(v, tuple | list):
            return "[" + ", ".join(value(i) for i in v) + "]"
        return json.dumps(v)

    lines = ["[programme]", f"id = {value(programme.id)}", f"name = {value(programme.name)}"]
    if programme.duration_months is not None:
        lines.append(f"duration_months = {programme.duration_months}")
    lines += [f"locale = {value(programme.locale)}", f"timezone = {value(programme.timezone)}"]
    lines.append("[eligibility]")
    for key in ("min_age", "max_age"):
        if getattr(programme.eligibility, key) is not None:
            lines.append(f"{key} = {getattr(programme.eligibility, key)}")
    if programme.eligibility.max_education_level is not None:
        lines.append(
            f"max_education_level = {value(programme.eligibility.max_education_level.value)}"
        )
    for phase in programme.phases:
        lines += ["[[phases]]", f"id = {value(phase.id)}", f"name = {value(phase.name)}"]
        if phase.weeks is not None:
            lines.append(f"weeks = {phase.weeks}")
    f = programme.followup
    lines += [
        "[followup]",
        f"months = {f.months}",
        f"checkpoints = {value(f.checkpoints)}",
        f"grace_days = {f.grace_days}",
        f"overdue_days = {f.overdue_days}",
        "[outcomes]",
        f"positive = {value(programme.outcomes.positive)}",
        f"families = {value(programme.outcomes.families)}",
        "[reporting]",
        f"basis = {value(programme.reporting.basis)}",
        f"sets = {value(programme.reporting.sets)}",
        f"min_cell = {programme.reporting.min_cell}",
        "[privacy]",
        f"retention_months = {programme.privacy.retention_months}",
    ]
    return "\n".join(lines) + "\n"


def situations(programme: Programme | None = None) -> st.SearchStrategy[Situation]:
    """A situation in one of the programme's families (the built-in ones by default)."""
    families = list(BUILTIN_FAMILIES) + (
        [] if programme is None else list(programme.outcomes.families)
    )
    return st.builds(Situation, st.sampled_from(families), st.sampled_from(list(Sector)))


contract_months = st.none() | st.decimals(
    min_value=Decimal("0.5"), max_value=Decimal("36"), places=1, allow_nan=False
)
qualifying = st.none() | st.booleans()


# Built once: a strategy object re-created on every draw is validated again each time.
_entry_dates = st.dates(min_value=FIRST_DAY, max_value=dt.date(2026, 12, 31))
_genders = st.none() | st.sampled_from(list(Gender))
_qpv = st.none() | st.booleans()
_statuses = st.none() | st.sampled_from(list(StatusAtEntry))
_schemes = st.none() | st.sampled_from(list(Scheme))
_referrers = st.none() | st.sampled_from(list(Referrer))
_counsellors = st.none() | st.sampled_from(["c1", "c2"])
_levels = {
    limit: st.none() | st.sampled_from([lvl for lvl in EducationLevel if lvl.rank <= limit])
    for limit in range(len(EducationLevel))
}


@st.composite
def participants(
    draw: st.DrawFn,
    programme: Programme | None = None,
    participant_id: st.SearchStrategy[str] = ids,
    entry: st.SearchStrategy[dt.date] | None = None,
) -> Participant:
    """A participant who passes the programme's eligibility rules (when it has some)."""
    entry_date = draw(entry if entry is not None else _entry_dates)
    policy = programme.eligibility if programme is not None else EligibilityPolicy()
    low = policy.min_age if policy.min_age is not None else 14
    high = policy.max_age if policy.max_age is not None else 30
    age = draw(st.integers(min(low, high), max(low, high)))
    birth = _birth_for_age(entry_date, age, draw(st.integers(0, 364)))
    max_level = policy.max_education_level
    return Participant(
        participant_id=draw(participant_id),
        cohort_id=f"C{entry_date:%Y%m}",
        entry_date=entry_date,
        birth_date=draw(st.none() | st.just(birth)),
        gender=draw(_genders),
        education_level=draw(_levels[8 if max_level is None else max_level.rank]),
        qpv=draw(_qpv),
        status_at_entry=draw(_statuses),
        scheme=draw(_schemes),
        referrer=draw(_referrers),
        counsellor=draw(_counsellors),
    )


def _birth_for_age(entry: dt.date, age: int, offset: int) -> dt.date:
    """A birth date that makes the participant exactly ``age`` on ``entry``."""
    latest = _years_before(entry, age)  # the last birthday giving this age
    candidate = latest - dt.timedelta(days=offset)
    return candidate if age_on(candidate, entry) == age else latest


def _years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year - years, day=28)


@st.composite
def exits(draw: st.DrawFn, after: dt.date, programme: Programme | None = None) -> Exit:
    """An exit on or after ``after``."""
    return Exit(
        exit_date=draw(days_after(after, 250)),
        reason=draw(st.sampled_from(list(ExitReason))),
        destination=draw(situations(programme)),
        contract=draw(st.none() | st.sampled_from(list(Contract))),
        contract_months=draw(contract_months),
        qualifying=draw(qualifying),
    )


@st.composite
def contacts(
    draw: st.DrawFn, after: dt.date, programme: Programme | None = None
) -> FollowUpContact:
    """A follow-up contact on or after ``after``."""
    return FollowUpContact(
        contact_date=draw(days_after(after, 300)),
        situation=draw(situations(programme)),
        contract=draw(st.none() | st.sampled_from(list(Contract))),
        contract_months=draw(contract_months),
        qualifying=draw(qualifying),
        channel=draw(st.none() | st.sampled_from(list(Channel))),
    )


@st.composite
def journeys(
    draw: st.DrawFn,
    programme: Programme | None = None,
    participant_id: st.SearchStrategy[str] = ids,
    exited: bool | None = None,
) -> Journey:
    """A journey the lifecycle accepts: phases forward, exit after entry, contacts after exit."""
    participant = draw(participants(programme, participant_id))
    entry = participant.entry_date
    phases: list[PhaseProgress] = []
    if programme is not None and programme.phases:
        count = draw(st.integers(1, len(programme.phases)))
        day = entry
        for phase in programme.phases[:count]:
            phases.append(PhaseProgress(phase.id, day))
            day = draw(days_after(day, 60))
    last_start = phases[-1].started_on if phases else entry
    has_exit = draw(st.booleans()) if exited is None else exited
    exit_ = draw(exits(last_start, programme)) if has_exit else None
    found = []
    if exit_ is not None:
        found = draw(st.lists(contacts(exit_.exit_date, programme), max_size=5, unique=True))
    end = exit_.exit_date if exit_ is not None else entry + dt.timedelta(days=180)
    attendance = draw(attendance_records(entry, end))
    return Journey(
        participant=participant,
        phases=tuple(phases),
        exit=exit_,
        contacts=tuple(found),
        attendance=attendance,
    )


@st.composite
def attendance_records(
    draw: st.DrawFn, start: dt.date, end: dt.date, max_size: int = 6
) -> tuple[AttendanceRecord, ...]:
    """Attendance between ``start`` and ``end``; no half-day is covered by two records."""
    span = (end - start).days
    days = draw(st.lists(st.integers(0, span), unique=True, max_size=max_size))
    halves = st.sampled_from([(None,), (HalfDay.AM,), (HalfDay.PM,), (HalfDay.AM, HalfDay.PM)])
    return tuple(
        AttendanceRecord(
            date=start + dt.timedelta(days=offset),
            status=draw(st.sampled_from(list(AttendanceStatus))),
            half_day=half,
        )
        for offset in days
        for half in draw(halves)
    )


@st.composite
def populations(draw: st.DrawFn, programme: Programme, max_size: int = 30) -> list[Journey]:
    """Journeys of distinct participants in one programme."""
    pids = draw(st.lists(ids, unique=True, max_size=max_size))
    return [draw(journeys(programme, st.just(pid))) for pid in pids]
