"""The lifecycle's pure transitions: the journey they return, the events, and every refusal."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from insertion_core.domain import (
    AttendanceRecord,
    AttendanceRecorded,
    AttendanceStatus,
    Enrolled,
    Exit,
    Exited,
    ExitReason,
    FollowUpContact,
    FollowUpRecorded,
    HalfDay,
    Journey,
    Participant,
    Phase,
    PhaseProgress,
    PhaseStarted,
    Programme,
    Sector,
    Situation,
    Transition,
    enrol,
    record_attendance,
    record_exit,
    record_followup,
    replace_followups,
    start_next_phase,
)
from insertion_core.domain.programme import FollowUpPolicy, OutcomePolicy
from insertion_core.errors import (
    AlreadyExitedError,
    AttendanceOutsideProgrammeError,
    ContactBeforeExitError,
    ExitBeforeEntryError,
    LifecycleError,
    NoNextPhaseError,
)

D = dt.date
ENTRY = D(2025, 9, 1)

PROGRAMME = Programme(
    id="gonesse",
    name="Fabrique numérique de Gonesse",
    followup=FollowUpPolicy(6, (1, 3, 6)),
    outcomes=OutcomePolicy(("employment", "training")),
    phases=(
        Phase("accueil", "Accueil et diagnostic", 2),
        Phase("projets", "Projets", 16),
        Phase("orientation", "Orientation", 4),
    ),
)
NO_PHASES = attrs.evolve(PROGRAMME, id="flat", phases=())
PARTICIPANT = Participant("P001", "2025-09", ENTRY)
TRAINING = Situation("training", Sector.DIGITAL)
EMPLOYMENT = Situation("employment")


def exit_on(day: dt.date, reason: ExitReason = ExitReason.COMPLETED) -> Exit:
    return Exit(day, reason, TRAINING)


def enrolled() -> Journey:
    return enrol(PROGRAMME, PARTICIPANT).journey


EXIT_DAY = D(2026, 1, 30)


def exited(day: dt.date = EXIT_DAY) -> Journey:
    return record_exit(PROGRAMME, enrolled(), exit_on(day)).journey


# enrol


def test_enrol_starts_the_first_phase_on_the_entry_date() -> None:
    transition = enrol(PROGRAMME, PARTICIPANT)
    assert transition.journey == Journey(PARTICIPANT, phases=(PhaseProgress("accueil", ENTRY),))
    assert transition.events == (
        Enrolled("gonesse", "P001", ENTRY, cohort_id="2025-09"),
        PhaseStarted("gonesse", "P001", ENTRY, phase_id="accueil"),
    )
    assert transition.warnings == ()
    assert [e.name for e in transition.events] == ["enrolled", "phase_started"]


def test_enrol_in_a_programme_without_phases() -> None:
    transition = enrol(NO_PHASES, PARTICIPANT)
    assert transition.journey == Journey(PARTICIPANT)
    assert transition.journey.current_phase is None
    assert transition.events == (Enrolled("flat", "P001", ENTRY, cohort_id="2025-09"),)


# start_next_phase


def test_next_phase_moves_forward_in_programme_order() -> None:
    journey = enrolled()
    first = start_next_phase(PROGRAMME, journey, D(2025, 9, 15))
    assert first.journey.phases == (
        PhaseProgress("accueil", ENTRY),
        PhaseProgress("projets", D(2025, 9, 15)),
    )
    assert first.events == (PhaseStarted("gonesse", "P001", D(2025, 9, 15), phase_id="projets"),)
    second = start_next_phase(PROGRAMME, first.journey, D(2025, 9, 15))  # the same day is allowed
    assert second.journey.current_phase == PhaseProgress("orientation", D(2025, 9, 15))
    assert journey == enrolled()  # the journey given is untouched


def test_next_phase_of_a_journey_with_no_phase_yet_is_the_first() -> None:
    journey = Journey(PARTICIPANT)  # as an import of a participant without phase data gives
    transition = start_next_phase(PROGRAMME, journey, D(2025, 9, 3))
    assert transition.journey.phases == (PhaseProgress("accueil", D(2025, 9, 3)),)
    with pytest.raises(NoNextPhaseError) as caught:
        start_next_phase(PROGRAMME, journey, D(2025, 8, 31))
    assert str(caught.value) == (
        "participant P001 cannot start the next phase on 2025-08-31: "
        "the current one started on 2025-09-01; phases only go forward"
    )


def test_next_phase_before_the_current_one_started_is_refused() -> None:
    journey = start_next_phase(PROGRAMME, enrolled(), D(2025, 9, 15)).journey
    with pytest.raises(NoNextPhaseError) as caught:
        start_next_phase(PROGRAMME, journey, D(2025, 9, 14))
    assert str(caught.value) == (
        "participant P001 cannot start the next phase on 2025-09-14: "
        "the current one started on 2025-09-15; phases only go forward"
    )


def test_there_is_no_phase_after_the_last() -> None:
    journey = enrolled()
    for day in (D(2025, 9, 15), D(2026, 1, 5)):
        journey = start_next_phase(PROGRAMME, journey, day).journey
    with pytest.raises(NoNextPhaseError) as caught:
        start_next_phase(PROGRAMME, journey, D(2026, 1, 20))
    assert str(caught.value) == "participant P001 is already in the last phase (Orientation)"


def test_a_programme_without_phases_has_no_next_phase() -> None:
    with pytest.raises(NoNextPhaseError) as caught:
        start_next_phase(NO_PHASES, enrol(NO_PHASES, PARTICIPANT).journey, D(2025, 9, 15))
    assert str(caught.value) == "programme flat has no phases"


def test_no_phase_change_after_the_exit() -> None:
    with pytest.raises(AlreadyExitedError) as caught:
        start_next_phase(PROGRAMME, exited(D(2025, 12, 19)), D(2026, 1, 5))
    assert str(caught.value) == (
        "participant P001 left the programme on 2025-12-19; their phase can no longer change"
    )


# record_exit


def test_exit_is_recorded_with_its_event() -> None:
    exit_ = Exit(D(2026, 1, 30), ExitReason.EARLY_POSITIVE, EMPLOYMENT)
    transition = record_exit(PROGRAMME, enrolled(), exit_)
    assert transition.journey.exit == exit_
    assert transition.journey.has_exited
    assert transition.journey.phases == enrolled().phases
    assert transition.events == (
        Exited(
            "gonesse",
            "P001",
            D(2026, 1, 30),
            reason="early_positive",
            destination="employment.other",
        ),
    )


def test_exit_on_the_entry_day_is_allowed() -> None:
    assert record_exit(PROGRAMME, enrolled(), exit_on(ENTRY)).journey.exit == exit_on(ENTRY)


def test_exit_before_entry_is_refused() -> None:
    with pytest.raises(ExitBeforeEntryError) as caught:
        record_exit(PROGRAMME, enrolled(), exit_on(D(2025, 8, 31)))
    assert str(caught.value) == (
        "participant P001 cannot leave on 2025-08-31, before entering the programme on 2025-09-01"
    )


def test_exit_before_the_current_phase_started_is_refused() -> None:
    journey = start_next_phase(PROGRAMME, enrolled(), D(2025, 9, 15)).journey
    with pytest.raises(ExitBeforeEntryError) as caught:
        record_exit(PROGRAMME, journey, exit_on(D(2025, 9, 14)))
    assert str(caught.value) == (
        "participant P001 cannot leave on 2025-09-14, "
        "before starting their current phase on 2025-09-15"
    )
    assert record_exit(PROGRAMME, journey, exit_on(D(2025, 9, 15))).journey.has_exited


def test_exit_before_recorded_attendance_is_refused() -> None:
    journey = enrolled()
    for day in (D(2025, 10, 1), D(2025, 10, 6), D(2025, 10, 3)):
        journey = record_attendance(
            PROGRAMME, journey, AttendanceRecord(day, AttendanceStatus.PRESENT)
        ).journey
    with pytest.raises(AttendanceOutsideProgrammeError) as caught:
        record_exit(PROGRAMME, journey, exit_on(D(2025, 10, 2)))
    assert str(caught.value) == (
        "participant P001 cannot leave on 2025-10-02: attendance is recorded on 2025-10-06, "
        "after that day"
    )
    assert record_exit(PROGRAMME, journey, exit_on(D(2025, 10, 6))).journey.has_exited


def test_a_participant_leaves_only_once() -> None:
    journey = exited(D(2026, 1, 30))
    with pytest.raises(AlreadyExitedError) as caught:
        record_exit(PROGRAMME, journey, exit_on(D(2026, 2, 2), ExitReason.DROPOUT))
    assert str(caught.value) == (
        "participant P001 already left the programme on 2026-01-30; a participant leaves only once"
    )
    with pytest.raises(AlreadyExitedError):  # the same day, another reason: still a second exit
        record_exit(PROGRAMME, journey, exit_on(D(2026, 1, 30), ExitReason.DROPOUT))


def test_recording_the_same_exit_again_changes_nothing() -> None:
    journey = exited(D(2026, 1, 30))
    assert record_exit(PROGRAMME, journey, exit_on(D(2026, 1, 30))) == Transition(journey)


# record_followup


def test_followup_is_recorded_with_its_event() -> None:
    contact = FollowUpContact(D(2026, 3, 2), EMPLOYMENT)
    transition = record_followup(PROGRAMME, exited(D(2026, 1, 30)), contact)
    assert transition.journey.contacts == (contact,)
    assert transition.events == (
        FollowUpRecorded("gonesse", "P001", D(2026, 3, 2), situation="employment.other"),
    )


def test_followup_on_the_exit_day_is_allowed() -> None:
    contact = FollowUpContact(D(2026, 1, 30), TRAINING)
    assert record_followup(PROGRAMME, exited(D(2026, 1, 30)), contact).journey.contacts == (
        contact,
    )


def test_followup_without_exit_is_refused() -> None:
    with pytest.raises(ContactBeforeExitError) as caught:
        record_followup(PROGRAMME, enrolled(), FollowUpContact(D(2026, 3, 2), EMPLOYMENT))
    assert str(caught.value) == (
        "participant P001 has no exit: a follow-up contact comes after the exit"
    )


def test_followup_before_exit_is_refused() -> None:
    with pytest.raises(ContactBeforeExitError) as caught:
        record_followup(
            PROGRAMME, exited(D(2026, 1, 30)), FollowUpContact(D(2026, 1, 29), EMPLOYMENT)
        )
    assert str(caught.value) == (
        "participant P001: a follow-up contact on 2026-01-29 is before their exit on 2026-01-30"
    )


def test_contacts_on_one_day_are_kept_and_exact_duplicates_count_once() -> None:
    journey = exited(D(2026, 1, 30))
    phone = FollowUpContact(D(2026, 3, 2), EMPLOYMENT)
    sms = attrs.evolve(phone, situation=TRAINING)
    journey = record_followup(PROGRAMME, journey, phone).journey
    again = record_followup(PROGRAMME, journey, phone)
    assert again == Transition(journey)
    journey = record_followup(PROGRAMME, journey, sms).journey
    assert journey.contacts == (phone, sms)


def test_replace_followups() -> None:
    journey = exited(D(2026, 1, 30))
    old = FollowUpContact(D(2026, 3, 2), EMPLOYMENT)
    kept = FollowUpContact(D(2026, 5, 4), TRAINING)
    journey = replace_followups(PROGRAMME, journey, [old, kept]).journey
    new = FollowUpContact(D(2026, 7, 30), EMPLOYMENT)
    transition = replace_followups(PROGRAMME, journey, [kept, new, new])
    assert transition.journey.contacts == (kept, new)
    assert transition.events == (
        FollowUpRecorded("gonesse", "P001", D(2026, 7, 30), situation="employment.other"),
    )
    assert replace_followups(PROGRAMME, journey, []).journey.contacts == ()
    with pytest.raises(ContactBeforeExitError, match="before their exit on 2026-01-30"):
        replace_followups(PROGRAMME, journey, [kept, FollowUpContact(D(2026, 1, 1), TRAINING)])
    with pytest.raises(ContactBeforeExitError, match="has no exit"):
        replace_followups(PROGRAMME, enrolled(), [kept])


# record_attendance


def test_attendance_is_recorded_with_its_event() -> None:
    record = AttendanceRecord(D(2025, 9, 2), AttendanceStatus.ABSENT, HalfDay.AM)
    transition = record_attendance(PROGRAMME, enrolled(), record)
    assert transition.journey.attendance == (record,)
    assert transition.events == (
        AttendanceRecorded("gonesse", "P001", D(2025, 9, 2), status="absent"),
    )
    assert record.half_days == 1
    assert AttendanceRecord(D(2025, 9, 2), AttendanceStatus.PRESENT).half_days == 2


def test_attendance_on_the_entry_and_exit_days_is_allowed() -> None:
    journey = exited(D(2026, 1, 30))
    for day in (ENTRY, D(2026, 1, 30)):
        journey = record_attendance(
            PROGRAMME, journey, AttendanceRecord(day, AttendanceStatus.PRESENT)
        ).journey
    assert [a.date for a in journey.attendance] == [ENTRY, D(2026, 1, 30)]


def test_attendance_before_entry_is_refused() -> None:
    with pytest.raises(AttendanceOutsideProgrammeError) as caught:
        record_attendance(
            PROGRAMME, enrolled(), AttendanceRecord(D(2025, 8, 29), AttendanceStatus.PRESENT)
        )
    assert str(caught.value) == (
        "participant P001: attendance on 2025-08-29 is before their entry on 2025-09-01"
    )


def test_attendance_after_exit_is_refused() -> None:
    with pytest.raises(AttendanceOutsideProgrammeError) as caught:
        record_attendance(
            PROGRAMME,
            exited(D(2026, 1, 30)),
            AttendanceRecord(D(2026, 2, 2), AttendanceStatus.ABSENT),
        )
    assert str(caught.value) == (
        "participant P001: attendance on 2026-02-02 is after their exit on 2026-01-30"
    )


def test_a_later_record_for_the_same_half_day_replaces_the_earlier() -> None:
    journey = enrolled()
    am = AttendanceRecord(D(2025, 9, 2), AttendanceStatus.ABSENT, HalfDay.AM)
    pm = AttendanceRecord(D(2025, 9, 2), AttendanceStatus.PRESENT, HalfDay.PM)
    excused = attrs.evolve(am, status=AttendanceStatus.EXCUSED)
    for record in (am, pm):
        journey = record_attendance(PROGRAMME, journey, record).journey
    assert record_attendance(PROGRAMME, journey, pm) == Transition(journey)
    transition = record_attendance(PROGRAMME, journey, excused)
    assert transition.journey.attendance == (pm, excused)
    assert transition.events == (
        AttendanceRecorded("gonesse", "P001", D(2025, 9, 2), status="excused"),
    )


def test_a_whole_day_record_and_a_half_day_record_never_cover_one_half_day_twice() -> None:
    journey = enrolled()
    am = AttendanceRecord(D(2025, 9, 2), AttendanceStatus.ABSENT, HalfDay.AM)
    pm = AttendanceRecord(D(2025, 9, 2), AttendanceStatus.ABSENT, HalfDay.PM)
    whole = AttendanceRecord(D(2025, 9, 2), AttendanceStatus.PRESENT)
    other_day = AttendanceRecord(D(2025, 9, 3), AttendanceStatus.PRESENT)
    for record in (other_day, am, pm):
        journey = record_attendance(PROGRAMME, journey, record).journey
    journey = record_attendance(PROGRAMME, journey, whole).journey
    assert journey.attendance == (other_day, whole)
    journey = record_attendance(PROGRAMME, journey, am).journey
    assert journey.attendance == (other_day, am)


def test_every_refusal_is_a_lifecycle_error() -> None:
    for error in (
        AlreadyExitedError,
        AttendanceOutsideProgrammeError,
        ContactBeforeExitError,
        ExitBeforeEntryError,
        NoNextPhaseError,
    ):
        assert issubclass(error, LifecycleError)
