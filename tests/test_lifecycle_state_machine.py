"""The participant lifecycle as a state machine: random legal and illegal steps, invariants after each.

A small population of one generated programme goes through enrolments, phase
changes, exits, follow-up contacts and attendance, with dates that are
sometimes legal and sometimes not. Each step runs the pure transition and the
same change through a :class:`Workspace` on the test storage:

- the outcome (new journey and events, or the error type) must be what the
  programme's rules say, computed here independently of the lifecycle code;
- a refused change leaves both the model and the stored data unchanged, and
  emits no event;
- after every step the stored journeys equal the model, the events emitted
  after commit are exactly the transitions' events, and every journey
  satisfies the lifecycle invariants.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs
import pytest
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from insertion_core import Workspace, get_plugin_manager
from insertion_core.domain import (
    AttendanceRecord,
    AttendanceRecorded,
    AttendanceStatus,
    EducationLevel,
    Enrolled,
    Event,
    Exit,
    Exited,
    ExitReason,
    FollowUpContact,
    FollowUpRecorded,
    HalfDay,
    Journey,
    Participant,
    PhaseProgress,
    PhaseStarted,
    Programme,
    Transition,
    enrol,
    record_attendance,
    record_exit,
    record_followup,
    start_next_phase,
)
from insertion_core.errors import (
    AlreadyEnrolledError,
    AlreadyExitedError,
    AttendanceOutsideProgrammeError,
    ContactBeforeExitError,
    ExitBeforeEntryError,
    LifecycleError,
    NoNextPhaseError,
    NotEligibleError,
)

from .fakes import EventRecorder, SharedMemoryPlugin
from .strategies import contacts, participants, programmes, situations, to_toml

POPULATION = ("P1", "P2", "P3", "P4")
URL = "test-memory://machine"


def _exactly_aged(entry: dt.date, age: int) -> dt.date:
    """A birth date that makes someone exactly ``age`` on ``entry``."""
    try:
        return entry.replace(year=entry.year - age)
    except ValueError:  # entry on 29 February, the birth year is a common year
        return entry.replace(year=entry.year - age, day=28)


def half_days(record: AttendanceRecord) -> set[tuple[dt.date, str]]:
    """The half-days a record covers: a whole-day record covers both."""
    halves = ("am", "pm") if record.half_day is None else (record.half_day.value,)
    return {(record.date, half) for half in halves}


class LifecycleMachine(RuleBasedStateMachine):
    """One programme, a few participants, and a model of their journeys and events."""

    programme: Programme
    workspace: Workspace
    recorder: EventRecorder

    def __init__(self) -> None:
        super().__init__()
        self.journeys: dict[str, Journey] = {}
        self.events: list[Event] = []

    @initialize(programme=programmes(), data=st.data())
    def open_workspace(self, programme: Programme, data: st.DataObject) -> None:
        self.programme = programme
        self.recorder = EventRecorder()
        storage_plugin = SharedMemoryPlugin()
        pm = get_plugin_manager(load_entry_points=False, strict=False)
        pm.register(storage_plugin, name="test-storage")
        pm.register(self.recorder, name="test-recorder")
        self.workspace = Workspace.open(URL, plugin_manager=pm, initialise=True)
        with self.workspace.storage.unit_of_work() as uow:
            uow.programmes.save(programme, to_toml(programme))
            uow.commit()
        # one participant from the start, so that every rule can run from the first step
        self.enrol_participant(data)

    def teardown(self) -> None:
        if hasattr(self, "workspace"):
            self.workspace.close()

    # helpers

    @property
    def enrolled(self) -> list[str]:
        return sorted(self.journeys)

    @property
    def newcomers(self) -> list[str]:
        return [pid for pid in POPULATION if pid not in self.journeys]

    def attempt(
        self,
        pid: str,
        pure: Callable[[], Transition],
        stored: Callable[[], Transition],
        expected_error: type[LifecycleError] | None,
        expected_events: tuple[Event, ...] | None = None,
    ) -> Transition | None:
        """Run a change both ways; check the outcome; keep the model in step."""
        event("refused: " + expected_error.__name__ if expected_error else "accepted")
        if expected_error is not None:
            events_before = list(self.recorder.events)
            with pytest.raises(expected_error) as pure_error:
                pure()
            with pytest.raises(expected_error) as stored_error:
                stored()
            assert str(pure_error.value) == str(stored_error.value)
            assert str(pure_error.value).strip()
            assert self.recorder.events == events_before
            return None
        transition = pure()
        assert stored() == transition
        if expected_events is not None:
            assert transition.events == expected_events
        self.journeys[pid] = transition.journey
        self.events.extend(transition.events)
        return transition

    def since(self, journey: Journey) -> dt.date:
        current = journey.current_phase
        return journey.participant.entry_date if current is None else current.started_on

    # enrolment

    @precondition(lambda self: self.newcomers)
    @rule(data=st.data())
    def enrol_participant(self, data: st.DataObject) -> None:
        pid = data.draw(st.sampled_from(self.newcomers), label="participant")
        participant = data.draw(participants(self.programme, st.just(pid)))
        expected: tuple[Event, ...] = (
            Enrolled(
                self.programme.id, pid, participant.entry_date, cohort_id=participant.cohort_id
            ),
        )
        if self.programme.phases:
            expected += (
                PhaseStarted(
                    self.programme.id,
                    pid,
                    participant.entry_date,
                    phase_id=self.programme.phases[0].id,
                ),
            )
        transition = self.attempt(
            pid,
            lambda: enrol(self.programme, participant),
            lambda: self.workspace.enrol(self.programme.id, participant),
            None,
            expected,
        )
        assert transition is not None
        assert transition.journey == Journey(
            participant,
            phases=tuple(
                PhaseProgress(e.phase_id, e.on) for e in expected if isinstance(e, PhaseStarted)
            ),
        )

    @property
    def breakable_rules(self) -> list[str]:
        """The programme's eligibility rules some participant can fail."""
        policy = self.programme.eligibility
        rules = [name for name in ("min_age", "max_age") if getattr(policy, name) is not None]
        level = policy.max_education_level
        if level is not None and level is not EducationLevel.L8:
            rules.append("max_education_level")
        return rules

    # a legal enrolment comes first, so that refusals do not crowd the steps
    @precondition(lambda self: self.newcomers and self.journeys and self.breakable_rules)
    @rule(data=st.data())
    def illegal_enrol_ineligible(self, data: st.DataObject) -> None:
        pid = data.draw(st.sampled_from(self.newcomers), label="participant")
        participant: Participant = data.draw(participants(self.programme, st.just(pid)))
        policy = self.programme.eligibility
        level = policy.max_education_level
        breakable = self.breakable_rules
        broken = data.draw(st.sampled_from(breakable), label="broken rule")
        entry = participant.entry_date
        if broken == "min_age":
            assert policy.min_age is not None
            age = data.draw(st.integers(max(0, policy.min_age - 5), policy.min_age - 1))
            participant = attrs.evolve(participant, birth_date=_exactly_aged(entry, age))
        elif broken == "max_age":
            assert policy.max_age is not None
            age = data.draw(st.integers(policy.max_age + 1, policy.max_age + 10))
            participant = attrs.evolve(participant, birth_date=_exactly_aged(entry, age))
        else:
            assert level is not None
            above = [lvl for lvl in EducationLevel if lvl.rank > level.rank]
            participant = attrs.evolve(
                participant, education_level=data.draw(st.sampled_from(above))
            )
        with pytest.raises(NotEligibleError) as caught:
            enrol(self.programme, participant)
        assert [f.partition(":")[0] for f in caught.value.failures] == [broken]
        assert str(caught.value).startswith(f"participant {pid} is not eligible: {broken}: ")
        self.attempt(
            pid,
            lambda: enrol(self.programme, participant),
            lambda: self.workspace.enrol(self.programme.id, participant),
            NotEligibleError,
        )

    @precondition(lambda self: self.journeys)
    @rule(data=st.data())
    def illegal_enrol_twice(self, data: st.DataObject) -> None:
        pid = data.draw(st.sampled_from(self.enrolled), label="participant")
        again = attrs.evolve(self.journeys[pid].participant, cohort_id="another")
        with pytest.raises(AlreadyEnrolledError) as caught:
            self.workspace.enrol(self.programme.id, again)
        assert str(caught.value) == (
            f"participant {pid} is already enrolled in programme {self.programme.id}"
        )

    # phases

    @precondition(lambda self: self.journeys)
    @rule(data=st.data(), offset=st.integers(-20, 60))
    def next_phase(self, data: st.DataObject, offset: int) -> None:
        pid = data.draw(st.sampled_from(self.enrolled), label="participant")
        journey = self.journeys[pid]
        on = self.since(journey) + dt.timedelta(days=offset)
        done = len(journey.phases)
        error: type[LifecycleError] | None = None
        if journey.exit is not None:
            error = AlreadyExitedError
        elif done >= len(self.programme.phases) or on < self.since(journey):
            error = NoNextPhaseError
        expected = None
        if error is None:
            expected = (
                PhaseStarted(self.programme.id, pid, on, phase_id=self.programme.phases[done].id),
            )
        self.attempt(
            pid,
            lambda: start_next_phase(self.programme, journey, on),
            lambda: self.workspace.start_next_phase(self.programme.id, pid, on),
            error,
            expected,
        )

    @precondition(lambda self: self.journeys)
    @rule(data=st.data())
    def illegal_phase_change(self, data: st.DataObject) -> None:
        pid = data.draw(st.sampled_from(self.enrolled), label="participant")
        journey = self.journeys[pid]
        if journey.exit is not None:
            on, error = data.draw(st.dates()), AlreadyExitedError
        elif len(journey.phases) >= len(self.programme.phases):
            on, error = data.draw(st.dates()), NoNextPhaseError
        else:
            before = data.draw(st.integers(1, 400))
            on, error = self.since(journey) - dt.timedelta(days=before), NoNextPhaseError
        self.attempt(
            pid,
            lambda: start_next_phase(self.programme, journey, on),
            lambda: self.workspace.start_next_phase(self.programme.id, pid, on),
            error,
        )

    # exit

    def _exit_outcome(self, journey: Journey, exit_: Exit) -> type[LifecycleError] | None:
        if journey.exit is not None:
            return None if journey.exit == exit_ else AlreadyExitedError
        day = exit_.exit_date
        if day < journey.participant.entry_date or day < self.since(journey):
            return ExitBeforeEntryError
        if any(a.date > exit_.exit_date for a in journey.attendance):
            return AttendanceOutsideProgrammeError
        return None

    def _exit(self, pid: str, exit_: Exit) -> None:
        journey = self.journeys[pid]
        error = self._exit_outcome(journey, exit_)
        if error is None and journey.exit == exit_:
            expected: tuple[Event, ...] = ()
        else:
            expected = (
                Exited(
                    self.programme.id,
                    pid,
                    exit_.exit_date,
                    reason=exit_.reason.value,
                    destination=exit_.destination.code,
                ),
            )
        self.attempt(
            pid,
            lambda: record_exit(self.programme, journey, exit_),
            lambda: self.workspace.record_exit(self.programme.id, pid, exit_),
            error,
            expected,
        )

    @precondition(lambda self: self.journeys)
    @rule(data=st.data(), offset=st.integers(-20, 300), again=st.booleans())
    def exit_programme(self, data: st.DataObject, offset: int, again: bool) -> None:
        pid = data.draw(st.sampled_from(self.enrolled), label="participant")
        journey = self.journeys[pid]
        if again and journey.exit is not None:
            exit_ = journey.exit  # the same exit recorded again changes nothing
        else:
            exit_ = Exit(
                journey.participant.entry_date + dt.timedelta(days=offset),
                data.draw(st.sampled_from(list(ExitReason))),
                data.draw(situations(self.programme)),
            )
        self._exit(pid, exit_)

    @precondition(lambda self: self.journeys)
    @rule(data=st.data(), days=st.integers(1, 400))
    def illegal_exit(self, data: st.DataObject, days: int) -> None:
        pid = data.draw(st.sampled_from(self.enrolled), label="participant")
        journey = self.journeys[pid]
        if journey.exit is not None:  # a second, different exit
            exit_ = attrs.evolve(
                journey.exit, exit_date=journey.exit.exit_date + dt.timedelta(days=days)
            )
        else:  # before entry, or before the current phase started
            exit_ = Exit(
                self.since(journey) - dt.timedelta(days=days),
                ExitReason.COMPLETED,
                data.draw(situations(self.programme)),
            )
        assert self._exit_outcome(journey, exit_) is not None
        self._exit(pid, exit_)

    # follow-up

    def _followup(self, pid: str, contact: FollowUpContact) -> None:
        journey = self.journeys[pid]
        error: type[LifecycleError] | None = None
        if journey.exit is None or contact.contact_date < journey.exit.exit_date:
            error = ContactBeforeExitError
        expected: tuple[Event, ...] = ()
        if contact not in journey.contacts:
            expected = (
                FollowUpRecorded(
                    self.programme.id, pid, contact.contact_date, situation=contact.situation.code
                ),
            )
        self.attempt(
            pid,
            lambda: record_followup(self.programme, journey, contact),
            lambda: self.workspace.record_followup(self.programme.id, pid, contact),
            error,
            expected,
        )

    @precondition(lambda self: self.journeys)
    @rule(data=st.data(), offset=st.integers(-30, 0), again=st.booleans())
    def followup(self, data: st.DataObject, offset: int, again: bool) -> None:
        pid = data.draw(st.sampled_from(self.enrolled), label="participant")
        journey = self.journeys[pid]
        if again and journey.contacts:
            contact = data.draw(st.sampled_from(journey.contacts))  # an exact duplicate counts once
        else:
            base = (
                journey.exit.exit_date
                if journey.exit is not None
                else journey.participant.entry_date
            )
            contact = data.draw(contacts(base + dt.timedelta(days=offset), self.programme))
        self._followup(pid, contact)

    @precondition(lambda self: self.journeys)
    @rule(data=st.data(), days=st.integers(1, 300))
    def illegal_followup(self, data: st.DataObject, days: int) -> None:
        pid = data.draw(st.sampled_from(self.enrolled), label="participant")
        journey = self.journeys[pid]
        base = (
            journey.exit.exit_date if journey.exit is not None else journey.participant.entry_date
        )
        day = (
            base - dt.timedelta(days=days)
            if journey.exit is not None
            else base + dt.timedelta(days=days)
        )
        contact = FollowUpContact(day, data.draw(situations(self.programme)))
        self._followup(pid, contact)

    # attendance

    def _attendance(self, pid: str, record: AttendanceRecord) -> None:
        journey = self.journeys[pid]
        error: type[LifecycleError] | None = None
        if record.date < journey.participant.entry_date or (
            journey.exit is not None and record.date > journey.exit.exit_date
        ):
            error = AttendanceOutsideProgrammeError
        expected: tuple[Event, ...] = ()
        if record not in journey.attendance:
            expected = (
                AttendanceRecorded(self.programme.id, pid, record.date, status=record.status.value),
            )
        transition = self.attempt(
            pid,
            lambda: record_attendance(self.programme, journey, record),
            lambda: self.workspace.record_attendance(self.programme.id, pid, record),
            error,
            expected,
        )
        if transition is not None:
            # the record replaces every record covering one of its half-days
            after = transition.journey.attendance
            assert [a for a in after if half_days(a) & half_days(record)] == [record]
            others = [a for a in journey.attendance if not half_days(a) & half_days(record)]
            assert [a for a in after if a != record] == others

    @precondition(lambda self: self.journeys)
    @rule(data=st.data(), offset=st.integers(-10, 250))
    def attendance(self, data: st.DataObject, offset: int) -> None:
        pid = data.draw(st.sampled_from(self.enrolled), label="participant")
        journey = self.journeys[pid]
        record = AttendanceRecord(
            journey.participant.entry_date + dt.timedelta(days=offset),
            data.draw(st.sampled_from(list(AttendanceStatus))),
            data.draw(st.sampled_from([None, HalfDay.AM, HalfDay.PM])),
        )
        self._attendance(pid, record)

    @precondition(lambda self: self.journeys)
    @rule(data=st.data(), days=st.integers(1, 100), after=st.booleans())
    def illegal_attendance(self, data: st.DataObject, days: int, after: bool) -> None:
        pid = data.draw(st.sampled_from(self.enrolled), label="participant")
        journey = self.journeys[pid]
        if after and journey.exit is not None:
            day = journey.exit.exit_date + dt.timedelta(days=days)
        else:
            day = journey.participant.entry_date - dt.timedelta(days=days)
        self._attendance(pid, AttendanceRecord(day, AttendanceStatus.ABSENT))

    # invariants

    @invariant()
    def storage_holds_the_model(self) -> None:
        stored = {j.participant_id: j for j in self.workspace.journeys(self.programme.id)}
        assert stored == self.journeys

    @invariant()
    def events_after_commit_are_the_transitions_events(self) -> None:
        assert self.recorder.events == self.events
        assert all(self.recorder.visible)  # each on_event saw the committed data
        assert self.workspace.event_failures == []

    @invariant()
    def journeys_obey_the_lifecycle(self) -> None:
        for pid, journey in self.journeys.items():
            entry = journey.participant.entry_date
            # phases: forward in programme order, from the entry date, dated non-decreasing
            ids = [p.phase_id for p in journey.phases]
            assert ids == [p.id for p in self.programme.phases[: len(ids)]]
            starts = [p.started_on for p in journey.phases]
            assert starts == sorted(starts)
            if journey.phases:
                assert starts[0] == entry
            # exit: not before entry nor the last phase start
            if journey.exit is not None:
                assert journey.exit.exit_date >= entry
                assert all(s <= journey.exit.exit_date for s in starts)
            # contacts: only after an exit, never before it, no exact duplicate
            if journey.exit is None:
                assert journey.contacts == ()
            assert all(
                c.contact_date >= journey.exit.exit_date for c in journey.contacts if journey.exit
            )
            assert len(set(journey.contacts)) == len(journey.contacts)
            # attendance: between entry and exit, each half-day covered once at most
            for record in journey.attendance:
                assert record.date >= entry
                assert journey.exit is None or record.date <= journey.exit.exit_date
            slots = [slot for a in journey.attendance for slot in half_days(a)]
            assert len(set(slots)) == len(slots)  # no half-day covered twice
            self.check_events_match(pid, journey)

    def check_events_match(self, pid: str, journey: Journey) -> None:
        mine = [e for e in self.events if e.participant_id == pid]
        assert all(e.programme_id == self.programme.id for e in mine)
        enrolled = [e for e in mine if isinstance(e, Enrolled)]
        assert enrolled == [
            Enrolled(
                self.programme.id,
                pid,
                journey.participant.entry_date,
                cohort_id=journey.participant.cohort_id,
            )
        ]
        started = [(e.phase_id, e.on) for e in mine if isinstance(e, PhaseStarted)]
        assert started == [(p.phase_id, p.started_on) for p in journey.phases]
        exits = [e for e in mine if isinstance(e, Exited)]
        assert len(exits) <= 1  # at most one exit, ever
        if journey.exit is None:
            assert exits == []
        else:
            assert [(e.on, e.reason, e.destination) for e in exits] == [
                (journey.exit.exit_date, journey.exit.reason.value, journey.exit.destination.code)
            ]
        recorded = [(e.on, e.situation) for e in mine if isinstance(e, FollowUpRecorded)]
        assert recorded == [(c.contact_date, c.situation.code) for c in journey.contacts]
        attended = [(e.on, e.status) for e in mine if isinstance(e, AttendanceRecorded)]
        for record in journey.attendance:
            assert (record.date, record.status.value) in attended
        assert len(attended) >= len(journey.attendance)


LifecycleMachine.TestCase.settings = settings(
    max_examples=200,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestLifecycleMachine = LifecycleMachine.TestCase
